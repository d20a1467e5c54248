// Clients from files (clients.dir): applied at start and by `idpd client apply`, created then
// updated, secrets from the environment or as hashes, and a bad file is one line naming the
// file and the key.
#include "app/client_files.h"

#include <fstream>

#include <gtest/gtest.h>

#include "integration/app_fixture.h"
#include "jose/base64url.h"
#include "oidc/client_store.h"

namespace idpd::testing_support {
namespace {

std::optional<std::string> fake_env(const char* name) {
    if (std::string_view(name) == "CONSOLE_SECRET") {
        return "console-secret-from-the-environment";
    }
    return std::nullopt;
}

class ClientFilesTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        clients_dir_ = dir_ / "clients.d";
        std::filesystem::create_directories(clients_dir_);
        master_ =
            std::make_unique<jose::MasterKey>(*jose::MasterKey::from_bytes(std::string(32, 'k')));
        hasher_ = std::make_unique<oidc::ClientSecretHasher>(*master_);
    }

    void write(const std::string& name, const std::string& text) {
        std::ofstream(clients_dir_ / name) << text;
    }

    std::expected<app::ApplyReport, std::string> apply(std::int64_t now = 1000) {
        return app::apply_client_files(*db_, clients_dir_, *hasher_,
                                       app::operator_client_limits(config_), now, fake_env);
    }

    std::filesystem::path clients_dir_;
    std::unique_ptr<jose::MasterKey> master_;
    std::unique_ptr<oidc::ClientSecretHasher> hasher_;
};

constexpr std::string_view console = R"(client_name = "Console"
redirect_uris = ["https://console.example.com/cb"]
scope = "openid profile"
secret_env = "CONSOLE_SECRET"
first_party = true
subject_type = "pairwise"
post_logout_redirect_uris = ["https://console.example.com/bye"]
)";

TEST_F(ClientFilesTest, AFileCreatesThenUpdatesItsClient) {
    write("console.toml", std::string(console));
    write("README.md", "not a client");
    write("example.toml.sample", "client_id = 1");
    auto first = apply(1000);
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(first->created, 1u);
    auto client = oidc::ClientStore(*db_).find("console");  // client_id from the file name
    ASSERT_TRUE(client);
    EXPECT_EQ(client->name, "Console");
    EXPECT_TRUE(client->first_party);
    EXPECT_EQ(client->subject_type, oidc::SubjectType::pairwise);
    EXPECT_EQ(client->managed_by, (clients_dir_ / "console.toml").string());
    EXPECT_TRUE(hasher_->matches("console-secret-from-the-environment", client->secret_hash));

    write("console.toml", std::string(console) + "access_token_format = \"opaque\"\n");
    auto second = apply(2000);
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(second->updated, 1u);
    client = oidc::ClientStore(*db_).find("console");
    EXPECT_EQ(client->access_token_format, oidc::AccessTokenFormat::opaque);
    EXPECT_EQ(client->created_at, 1000);
}

TEST_F(ClientFilesTest, APublicClientAndASecretHash) {
    write("spa.toml", "type = \"public\"\nredirect_uris = [\"http://localhost:3000/cb\"]\n");
    const std::string hash = jose::base64url_encode(hasher_->hash("s3cret"));
    write("svc.toml",
          "client_id = \"svc\"\ngrant_types = [\"client_credentials\"]\n"
          "response_types = []\nsecret_hash = \"" +
              hash + "\"\n");
    auto applied = apply();
    ASSERT_TRUE(applied) << applied.error();
    auto spa = oidc::ClientStore(*db_).find("spa");
    ASSERT_TRUE(spa);
    EXPECT_TRUE(spa->is_public());
    EXPECT_EQ(spa->token_endpoint_auth_method, oidc::AuthMethod::none);
    auto svc = oidc::ClientStore(*db_).find("svc");
    ASSERT_TRUE(svc);
    EXPECT_TRUE(hasher_->matches("s3cret", svc->secret_hash));
}

TEST_F(ClientFilesTest, ABadFileIsOneLineNamingTheFileAndTheKey) {
    const std::string file = (clients_dir_ / "bad.toml").string();
    auto refused = [&](const std::string& text) {
        write("bad.toml", text);
        auto applied = apply();
        EXPECT_FALSE(applied);
        return applied ? std::string() : applied.error();
    };
    EXPECT_EQ(refused("redirect_uris = [\"https://a.example.com/cb#x\"]\nsecret_env = "
                      "\"CONSOLE_SECRET\"\n"),
              file + ": redirect_uris: redirect_uri must not contain a fragment");
    EXPECT_EQ(refused("redirect_uris = [\"https://a.example.com/cb\"]\n")
                  .rfind(file + ": client_secret:", 0),
              0u);
    EXPECT_EQ(refused("secret_env = \"MISSING\"\n"),
              file + ": secret_env: environment variable MISSING is not set");
    EXPECT_EQ(refused("colour = \"red\"\n"), file + ": colour: unknown member");
    EXPECT_EQ(refused("scope = 3\n"), file + ": scope: expected a string");
    EXPECT_NE(refused("redirect_uris = [").find(file + ": line 1"), std::string::npos);
    EXPECT_FALSE(oidc::ClientStore(*db_).find("bad"));
}

TEST_F(ClientFilesTest, AFileNeverTakesOverAClientFromElsewhere) {
    oidc::Client cli;
    cli.client_id = "console";
    cli.name = "console";
    cli.grant_types = {"client_credentials"};
    cli.secret_hash = hasher_->hash("x");
    ASSERT_TRUE(oidc::ClientStore(*db_).create(cli));
    write("console.toml", std::string(console));
    auto applied = apply();
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().find("managed outside client files"), std::string::npos);
}

TEST_F(ClientFilesTest, AMissingDirectoryHoldsNoClients) {
    auto applied = app::apply_client_files(*db_, dir_ / "nowhere", *hasher_,
                                           app::operator_client_limits(config_), 1, fake_env);
    ASSERT_TRUE(applied);
    EXPECT_EQ(applied->created + applied->updated, 0u);
}

TEST_F(ClientFilesTest, TheAppAppliesTheFilesAtStartAndRefusesABadOne) {
    config_.clients.dir = clients_dir_;
    write("spa.toml", "type = \"public\"\nredirect_uris = [\"http://localhost:3000/cb\"]\n");
    app_ = std::make_unique<app::App>(config_, *db_);
    EXPECT_TRUE(oidc::ClientStore(*db_).find("spa"));
    write("broken.toml", "grant_types = [\"implicit\"]\n");
    EXPECT_THROW(app_ = std::make_unique<app::App>(config_, *db_), std::runtime_error);
}

}  // namespace
}  // namespace idpd::testing_support
