#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "audit/audit_log.h"
#include "store/open.h"
#include "support/process.h"

namespace idpd {
namespace {

using testing_support::Process;

class CliTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("idpd-cli-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        env_["IDPD_DATABASE_URL"] = "sqlite:" + (dir_ / "idpd.db").string();
        env_["IDPD_SERVER_PORT"] = "0";
        env_["IDPD_SERVER_VAR_DIR"] = dir_.string();
    }

    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<Process> start(std::vector<std::string> args) {
        args.insert(args.begin(), IDPD_BINARY);
        return std::make_unique<Process>(args, env_, IDPD_SOURCE_DIR);
    }

    static std::size_t lines(const std::string& text) {
        return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }

    // A start-up error is one line, the last on stderr, starting with "idpd:"; log lines
    // written before it (timestamped) may precede it.
    static std::string error_line(const std::string& err) {
        std::size_t errors = 0;
        std::string last;
        std::istringstream in(err);
        for (std::string line; std::getline(in, line);) {
            if (line.starts_with("idpd:")) {
                ++errors;
                last = line;
            }
        }
        return errors == 1 && err.ends_with(last + "\n") ? last
                                                         : std::string("(not one error line)");
    }

    std::filesystem::path dir_;
    std::map<std::string, std::string> env_;
};

TEST_F(CliTest, VersionPrintsTheVersion) {
    auto p = start({"version"});
    EXPECT_EQ(p->wait(), 0);
    EXPECT_TRUE(p->out().starts_with("idpd 0.")) << p->out();
}

TEST_F(CliTest, ConfigCheckPrintsEffectiveValuesWithSecretsMasked) {
    env_["IDPD_DATABASE_URL"] = "mysql://idpd:hunter2@db.internal:3306/idpd";
    env_["IDPD_SERVER_WORKER_THREADS"] = "3";
    auto p = start({"config", "check"});
    EXPECT_EQ(p->wait(), 0) << p->err();
    EXPECT_NE(p->out().find("worker_threads = 3"), std::string::npos);
    EXPECT_NE(p->out().find("mysql://idpd:********@db.internal:3306/idpd"), std::string::npos);
    EXPECT_EQ(p->out().find("hunter2"), std::string::npos);
}

TEST_F(CliTest, ABadValueIsOneLineAndExitTwo) {
    env_["IDPD_SERVER_PORT"] = "eighty";
    auto p = start({"config", "check"});
    EXPECT_EQ(p->wait(), 2);
    EXPECT_EQ(lines(p->err()), 1u) << p->err();
    EXPECT_TRUE(p->err().starts_with("idpd: config: server.port:")) << p->err();
}

TEST_F(CliTest, AnUnreadableConfigFileIsExitTwo) {
    auto p = start({"--config", (dir_ / "missing.toml").string(), "serve"});
    EXPECT_EQ(p->wait(), 2);
    EXPECT_EQ(lines(p->err()), 1u) << p->err();
    EXPECT_NE(p->err().find("missing.toml"), std::string::npos);
}

TEST_F(CliTest, ABadDatabaseUrlIsExitTwo) {
    env_["IDPD_DATABASE_URL"] = "mysql://root@localhost";  // no database name
    auto p = start({"serve"});
    EXPECT_EQ(p->wait(), 2);
    EXPECT_EQ(lines(p->err()), 1u) << p->err();
    EXPECT_TRUE(p->err().starts_with("idpd: database:")) << p->err();
}

TEST_F(CliTest, ADatabaseThatIsDownAtStartIsExitTwoWithoutHanging) {
    env_["IDPD_DATABASE_URL"] =
        "mysql://root@localhost/idpd?socket=" + (dir_ / "nobody-listens.sock").string();
    env_["IDPD_DATABASE_CONNECT_TIMEOUT"] = "2s";
    auto p = start({"serve"});
    EXPECT_EQ(p->wait(std::chrono::seconds(20)), 2);
    EXPECT_EQ(lines(p->err()), 1u) << p->err();
    EXPECT_TRUE(p->err().starts_with("idpd: database:")) << p->err();
}

TEST_F(CliTest, APortInUseIsExitTwoNamingThePort) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd, 1), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    std::string port = std::to_string(ntohs(addr.sin_port));
    env_["IDPD_SERVER_PORT"] = port;
    auto p = start({"serve"});
    EXPECT_EQ(p->wait(std::chrono::seconds(20)), 2);
    close(fd);
    EXPECT_NE(error_line(p->err()).find("port " + port), std::string::npos) << p->err();
}

TEST_F(CliTest, MigrateAppliesOnceThenReportsUpToDate) {
    auto first = start({"migrate"});
    EXPECT_EQ(first->wait(), 0) << first->err();
    EXPECT_NE(first->out().find("applied 0001_init.sql"), std::string::npos) << first->out();
    auto second = start({"migrate"});
    EXPECT_EQ(second->wait(), 0) << second->err();
    EXPECT_EQ(second->out().find("applied 0001"), std::string::npos) << second->out();
    EXPECT_NE(second->out().find("schema is up to date (0 applied"), std::string::npos);
}

TEST_F(CliTest, ServeAnswersAndStopsCleanlyOnSigterm) {
    auto p = start({"serve"});
    ASSERT_TRUE(p->wait_for_output("listening", std::chrono::seconds(20))) << p->err();
    std::smatch m;
    std::string out = p->out();
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(listening\s+http://[^:]+:(\d+))"))) << out;
    httplib::Client client("127.0.0.1", std::stoi(m[1]));
    auto res = client.Get("/healthz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(std::filesystem::exists(dir_ / "idpd.db-wal") ||
                std::filesystem::exists(dir_ / "idpd.db"));
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait(std::chrono::seconds(20)), 0) << p->err();
}

TEST_F(CliTest, AuditTailPrintsTheNewestEventsLastInUtc) {
    ASSERT_EQ(start({"migrate"})->wait(), 0);
    {
        auto db = store::open_database(store::DatabaseOptions{env_["IDPD_DATABASE_URL"]});
        ASSERT_TRUE(db) << db.error().message;
        const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};  // 22:13:20Z
        audit::Event up{audit::EventType::sign_up, 1, "", "198.51.100.9", "Firefox", {}};
        ASSERT_TRUE(audit::record(**db, up, t0));
        audit::Event failed{
            audit::EventType::sign_in_failure, std::nullopt, "ali\"ce\n", "203.0.113.5", "curl/8",
            {{"reason", "unknown_account"}}};
        ASSERT_TRUE(audit::record(**db, failed, t0 + std::chrono::seconds(1)));
        audit::Event in{audit::EventType::sign_in_success, 1, "", "198.51.100.9", "Firefox", {}};
        ASSERT_TRUE(audit::record(**db, in, t0 + std::chrono::seconds(2)));
    }
    auto all = start({"audit", "tail"});
    EXPECT_EQ(all->wait(), 0) << all->err();
    EXPECT_EQ(all->out(),
              "2023-11-14T22:13:20Z sign_up user=1 ip=198.51.100.9 ua=\"Firefox\"\n"
              "2023-11-14T22:13:21Z sign_in.failure identifier=\"ali\\\"ce\\n\" ip=203.0.113.5 "
              "ua=\"curl/8\" {\"reason\":\"unknown_account\"}\n"
              "2023-11-14T22:13:22Z sign_in.success user=1 ip=198.51.100.9 ua=\"Firefox\"\n");

    auto last = start({"audit", "tail", "-n", "1", "--user", "1"});
    EXPECT_EQ(last->wait(), 0);
    EXPECT_EQ(lines(last->out()), 1u);
    EXPECT_NE(last->out().find("sign_in.success"), std::string::npos) << last->out();

    auto json = start({"audit", "tail", "--type", "sign_in.failure", "--json"});
    EXPECT_EQ(json->wait(), 0);
    EXPECT_EQ(lines(json->out()), 1u);
    EXPECT_NE(json->out().find("\"type\":\"sign_in.failure\""), std::string::npos);
    EXPECT_NE(json->out().find("\"detail\":{\"reason\":\"unknown_account\"}"), std::string::npos)
        << json->out();

    auto bad = start({"audit", "tail", "--type", "sign_in"});
    EXPECT_EQ(bad->wait(), 2);
    EXPECT_EQ(error_line(bad->err()).rfind("idpd: audit tail: unknown --type", 0), 0u)
        << bad->err();
}

TEST_F(CliTest, ClientAddTakesTheNewMetadataAndShowPrintsIt) {
    const auto jwks = dir_ / "jwks.json";
    {
        // An Ed25519 public key (RFC 8037 §A.2).
        std::ofstream(jwks) << R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",)"
                               R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})";
    }
    auto add = start({"client",
                      "add",
                      "--id",
                      "console",
                      "--grant-type",
                      "authorization_code",
                      "--redirect-uri",
                      "https://console.example.com/cb",
                      "--scope",
                      "openid",
                      "--post-logout-redirect-uri",
                      "https://console.example.com/bye",
                      "--backchannel-logout-uri",
                      "https://console.example.com/bc",
                      "--jwks-file",
                      jwks.string(),
                      "--subject-type",
                      "pairwise",
                      "--sector-identifier",
                      "example.com",
                      "--first-party",
                      "--dpop-bound"});
    ASSERT_EQ(add->wait(), 0) << add->err();
    EXPECT_EQ(add->out().find("client_secret "), std::string::npos);  // private_key_jwt
    auto show = start({"client", "show", "console"});
    ASSERT_EQ(show->wait(), 0) << show->err();
    const std::string out = show->out();
    for (const std::string expected :
         {"token_endpoint_auth_method  private_key_jwt", "subject_type                pairwise",
          "sector_identifier           example.com", "first_party                 true",
          "dpop_bound_access_tokens    true",
          "post_logout_redirect_uris   https://console.example.com/bye",
          "backchannel_logout_uri      https://console.example.com/bc", "\"kid\":\"k1\""}) {
        EXPECT_NE(out.find(expected), std::string::npos) << expected << " in\n" << out;
    }
}

TEST_F(CliTest, ClientAddRefusesWhatRegistrationWouldRefuse) {
    auto p = start({"client", "add", "--id", "web", "--grant-type", "authorization_code",
                    "--redirect-uri", "https://a.example.com/cb", "--redirect-uri",
                    "https://b.example.com/cb", "--subject-type", "pairwise"});
    EXPECT_EQ(p->wait(), 2);
    EXPECT_TRUE(p->err().starts_with("idpd: client add: subject_type:")) << p->err();
}

TEST_F(CliTest, ClientApplyCreatesFileClientsThatRemoveRefusesWhileTheFileExists) {
    const auto dir = dir_ / "clients.d";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "spa.toml") << "type = \"public\"\n"
                                       "redirect_uris = [\"http://localhost:3000/cb\"]\n";
    auto apply = start({"client", "apply", "--dir", dir.string()});
    ASSERT_EQ(apply->wait(), 0) << apply->err();
    EXPECT_NE(apply->out().find("1 created"), std::string::npos) << apply->out();
    auto refused = start({"client", "remove", "spa"});
    EXPECT_EQ(refused->wait(), 2);
    EXPECT_NE(refused->err().find("managed by"), std::string::npos) << refused->err();
    std::filesystem::remove(dir / "spa.toml");
    auto removed = start({"client", "remove", "spa"});
    EXPECT_EQ(removed->wait(), 0) << removed->err();
}

TEST_F(CliTest, ABadClientFileStopsTheStartWithOneLineAndExitTwo) {
    const auto dir = dir_ / "clients.d";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "web.toml") << "redirect_uris = [\"http://web.example.com/cb\"]\n";
    env_["IDPD_CLIENTS_DIR"] = dir.string();
    auto p = start({"serve"});
    EXPECT_EQ(p->wait(std::chrono::seconds(20)), 2);
    EXPECT_EQ(error_line(p->err()),
              "idpd: " + (dir / "web.toml").string() +
                  ": redirect_uris: redirect_uri must use https, except http on a loopback "
                  "address")
        << p->err();
    auto apply = start({"client", "apply"});
    EXPECT_EQ(apply->wait(), 2);
    EXPECT_NE(apply->err().find("web.toml: redirect_uris:"), std::string::npos) << apply->err();
}

}  // namespace
}  // namespace idpd
