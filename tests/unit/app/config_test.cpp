#include "app/config.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace idpd::app {
namespace {

std::map<std::string, std::string>& fake_env() {
    static std::map<std::string, std::string> env;
    return env;
}

std::optional<std::string> lookup(const char* name) {
    auto it = fake_env().find(name);
    if (it == fake_env().end()) {
        return std::nullopt;
    }
    return it->second;
}

class ConfigTest : public testing::Test {
protected:
    void SetUp() override {
        fake_env().clear();
        file_ = std::filesystem::temp_directory_path() /
                ("idpd-config-" + std::to_string(::getpid()) + ".toml");
    }

    void TearDown() override { std::filesystem::remove(file_); }

    std::expected<Config, ConfigError> load(const std::string& toml) {
        std::ofstream(file_) << toml;
        return load_config(file_, lookup);
    }

    std::filesystem::path file_;
};

TEST_F(ConfigTest, TheDocumentedFileStatesExactlyTheBuiltInDefaults) {
    auto documented =
        load_config(std::filesystem::path(IDPD_SOURCE_DIR) / "config/idpd.toml", lookup);
    ASSERT_TRUE(documented) << documented.error().message;
    EXPECT_EQ(describe(*documented), describe(Config{}));
}

TEST_F(ConfigTest, FileValuesAndUnitsAreRead) {
    auto c = load(R"(
[server]
port = 9000
header_timeout = "250ms"
max_body = "2MiB"
[proxy]
trusted = ["10.0.0.0/8", "::1"]
)");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 9000);
    EXPECT_EQ(c->server.header_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(c->server.max_body_bytes, 2u * 1024 * 1024);
    EXPECT_EQ(c->proxy.trusted, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
}

TEST_F(ConfigTest, EnvironmentOverridesTheFile) {
    fake_env()["IDPD_SERVER_PORT"] = "9100";
    fake_env()["IDPD_PROXY_TRUSTED"] = "127.0.0.1, 10.0.0.0/8";
    fake_env()["IDPD_DATABASE_MIGRATE_ON_START"] = "false";
    auto c = load("[server]\nport = 9000\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 9100);
    EXPECT_EQ(c->proxy.trusted.size(), 2u);
    EXPECT_FALSE(c->database.migrate_on_start);
}

TEST_F(ConfigTest, ABadValueIsOneLineNamingTheKey) {
    auto c = load("[server]\nport = \"http\"\n");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message.find('\n'), std::string::npos);
    EXPECT_TRUE(c.error().message.starts_with("server.port: expected an integer from 0 to 65535"))
        << c.error().message;

    fake_env()["IDPD_SERVER_HEADER_TIMEOUT"] = "ten seconds";
    c = load("");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("server.header_timeout"), std::string::npos);
    EXPECT_NE(c.error().message.find("IDPD_SERVER_HEADER_TIMEOUT"), std::string::npos);
}

TEST_F(ConfigTest, RegistrationNeedsAnInitialAccessTokenAndTokensAreLongSecrets) {
    auto c = load("[registration]\nenabled = true\n");
    ASSERT_FALSE(c);
    EXPECT_TRUE(c.error().message.starts_with("registration.initial_access_token: required"))
        << c.error().message;
    c = load("[admin]\napi_token = \"short\"\n");
    ASSERT_FALSE(c);
    EXPECT_TRUE(c.error().message.starts_with("admin.api_token: expected at least 32"));
    EXPECT_EQ(c.error().message.find("short"), std::string::npos);  // a secret is masked
    fake_env()["IDPD_REGISTRATION_INITIAL_ACCESS_TOKEN"] = std::string(40, 'r');
    c = load("[registration]\nenabled = true\n[clients]\ndir = \"/etc/idpd/clients.d\"\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c->registration.enabled);
    EXPECT_EQ(c->clients.dir, "/etc/idpd/clients.d");
    EXPECT_EQ(describe(*c).find(std::string(40, 'r')), std::string::npos);
}

TEST_F(ConfigTest, UnknownKeysAndBrokenTomlAreRefused) {
    auto c = load("[server]\nprot = 9000\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("server.prot: unknown setting"), std::string::npos);
    c = load("[server\nport = 1\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find(file_.string() + ":1"), std::string::npos);
}

TEST_F(ConfigTest, AMissingFileIsAnError) {
    auto c = load_config(std::filesystem::path("/nonexistent/idpd.toml"), lookup);
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("cannot read configuration file /nonexistent/idpd.toml"),
              std::string::npos);
}

TEST_F(ConfigTest, IssuerMustBeHttpsOutsideLocalhost) {
    EXPECT_FALSE(load("[server]\nissuer = \"http://id.example.com\"\n"));
    EXPECT_FALSE(load("[server]\nissuer = \"https://id.example.com/\"\n"));
    EXPECT_FALSE(load("[server]\nissuer = \"https://id.example.com?x=1\"\n"));
    EXPECT_TRUE(
        load("[server]\nissuer = \"https://id.example.com/tenant\"\n[notify]\ndev_outbox_page = "
             "false\n"));
    EXPECT_TRUE(load("[server]\nissuer = \"http://localhost:8080\"\n"));
}

TEST_F(ConfigTest, TheDevOutboxPageIsRefusedWithAnHttpsIssuer) {
    auto c = load("[server]\nissuer = \"https://id.example.com\"\n");
    ASSERT_FALSE(c);
    EXPECT_TRUE(c.error().message.starts_with("notify.dev_outbox_page:")) << c.error().message;
}

TEST_F(ConfigTest, NotifySettingsAreCheckedAndSecretsMasked) {
    EXPECT_FALSE(load("[notify]\nemail_transport = \"sendmail\"\n"));
    EXPECT_FALSE(load("[notify]\nemail_transport = \"smtp\"\n")) << "smtp needs smtp_url";
    EXPECT_FALSE(load("[notify]\nsmtp_url = \"http://mail.example.com\"\n"));
    EXPECT_FALSE(load("[notify]\nfrom_address = \"idpd <no-reply@x>\\nBcc: a@b\"\n"));
    EXPECT_FALSE(load("[notify]\nsms_transport = \"gateway\"\n")) << "needs sms_gateway_url";
    EXPECT_FALSE(load("[notify]\nretry_base = \"2h\"\n")) << "past retry_max";
    auto clear_auth = load(
        "[notify]\nsmtp_url = \"smtp://mail.example.com:25\"\nsmtp_starttls = \"off\"\n"
        "smtp_username = \"idpd\"\n");
    ASSERT_FALSE(clear_auth);
    EXPECT_TRUE(clear_auth.error().message.starts_with("notify.smtp_username:"));

    fake_env()["IDPD_NOTIFY_SMTP_PASSWORD"] = "hunter2";
    fake_env()["IDPD_NOTIFY_SMS_GATEWAY_TOKEN"] = "tok-123";
    auto c = load(
        "[notify]\nemail_transport = \"smtp\"\nsmtp_url = \"smtps://mail.example.com:465\"\n"
        "smtp_username = \"idpd\"\nmax_attempts = 3\npoll_interval = \"500ms\"\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->notify.smtp_password, "hunter2");
    EXPECT_EQ(c->notify.max_attempts, 3u);
    EXPECT_EQ(c->notify.poll_interval, std::chrono::milliseconds(500));
    const std::string text = describe(*c);
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
    EXPECT_EQ(text.find("tok-123"), std::string::npos);
    EXPECT_NE(text.find("smtp_password = \"********\""), std::string::npos);
}

TEST_F(ConfigTest, TlsNeedsBothFilesAndProxiesMustBeAddresses) {
    EXPECT_FALSE(load("[tls]\ncert_file = \"/x.pem\"\n"));
    auto c = load("[proxy]\ntrusted = [\"lb.internal\"]\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("\"lb.internal\" is not an IP address"), std::string::npos);
}

TEST_F(ConfigTest, RefreshTokenAndDpopSettingsAreReadAndChecked) {
    auto c = load(
        "[oidc]\nrefresh_token_idle_ttl = \"1d\"\nrefresh_token_absolute_ttl = \"7d\"\n"
        "refresh_token_reuse_grace = \"0s\"\ndpop_proof_max_age = \"30s\"\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->oidc.refresh_token_idle_ttl, std::chrono::days(1));
    EXPECT_EQ(c->oidc.refresh_token_absolute_ttl, std::chrono::days(7));
    EXPECT_EQ(c->oidc.refresh_token_reuse_grace, std::chrono::seconds(0));
    EXPECT_EQ(c->oidc.dpop_proof_max_age, std::chrono::seconds(30));
    auto idle_too_long = load("[oidc]\nrefresh_token_idle_ttl = \"31d\"\n");
    ASSERT_FALSE(idle_too_long);
    EXPECT_NE(idle_too_long.error().message.find("oidc.refresh_token_idle_ttl"), std::string::npos);
    EXPECT_FALSE(load("[oidc]\nrefresh_token_reuse_grace = \"5m\"\n"));
    EXPECT_FALSE(load("[oidc]\ndpop_proof_max_age = \"0s\"\n"));
    EXPECT_FALSE(load("[oidc]\ndpop_proof_max_age = \"1h\"\n"));
}

TEST_F(ConfigTest, DescribeMasksThePasswordOnly) {
    fake_env()["IDPD_DATABASE_URL"] = "mysql://idpd:s3cr3t@db:3306/idpd";
    auto c = load("");
    ASSERT_TRUE(c);
    std::string text = describe(*c);
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
    EXPECT_NE(text.find("url = \"mysql://idpd:********@db:3306/idpd\""), std::string::npos);
}

TEST(ConfigUnits, DurationsAndSizes) {
    EXPECT_EQ(parse_duration("500ms"), std::chrono::milliseconds(500));
    EXPECT_EQ(parse_duration("10m"), std::chrono::minutes(10));
    EXPECT_EQ(parse_duration("7d"), std::chrono::hours(24 * 7));
    EXPECT_EQ(parse_duration("0"), std::chrono::milliseconds(0));
    EXPECT_FALSE(parse_duration("10"));
    EXPECT_FALSE(parse_duration("-1s"));
    EXPECT_FALSE(parse_duration("1w"));
    EXPECT_EQ(format_duration(std::chrono::minutes(90)), "90m");
    EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1500ms");
    EXPECT_EQ(parse_size("16KiB"), 16u * 1024);
    EXPECT_EQ(parse_size("1048576"), 1024u * 1024);
    EXPECT_FALSE(parse_size("1MB"));
    EXPECT_FALSE(parse_size("0"));
    EXPECT_EQ(format_size(16 * 1024), "16KiB");
}

}  // namespace
}  // namespace idpd::app
