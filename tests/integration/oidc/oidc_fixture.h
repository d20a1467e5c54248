#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "jose/key_store.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/provider.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::testing_support {

// The OP's routes in-process over a fresh SQLite file, with an injected clock.
class OidcTest : public testing::Test {
protected:
    static constexpr std::string_view issuer = "https://id.example.com";

    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("idpd-oidc-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        auto db =
            store::open_database(store::DatabaseOptions{"sqlite:" + (dir_ / "idpd.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        ASSERT_TRUE(store::migrate(*db_));
        master_ =
            std::make_unique<jose::MasterKey>(*jose::MasterKey::from_bytes(std::string(32, 'm')));
        key_options_.algs = {jose::Alg::rs256, jose::Alg::es256};
        key_options_.reload_interval = std::chrono::seconds(0);
        keys_ = std::make_unique<jose::KeyStore>(*db_, *master_, key_options_, clock());
        hasher_ = std::make_unique<oidc::ClientSecretHasher>(*master_);
        options_.issuer = std::string(issuer);
        provider_ = std::make_unique<oidc::Provider>(options_, *db_, *keys_, *hasher_, clock(),
                                                     oidc::system_random_bytes,
                                                     oidc::SessionLookup{}, users_);
        provider_->add_routes(router_);
    }

    void TearDown() override {
        provider_.reset();
        keys_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    oidc::Clock clock() {
        return [this] {
            return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
        };
    }

    // Registers a client; returns its secret.
    std::string add_client(const std::string& id, oidc::AccessTokenFormat format,
                           jose::Alg alg = jose::Alg::rs256, bool is_public = false) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.grant_types = {"client_credentials"};
        client.scopes = {"read", "write"};
        client.access_token_format = format;
        client.access_token_alg = alg;
        client.created_at = now_;
        const std::string secret = "secret-of-" + id;
        if (is_public) {
            client.type = oidc::ClientType::public_client;
            client.token_endpoint_auth_method = oidc::AuthMethod::none;
        } else {
            client.secret_hash = hasher_->hash(secret);
        }
        oidc::ClientStore clients(*db_);
        EXPECT_TRUE(clients.create(client));
        return secret;
    }

    static std::string basic(const std::string& id, const std::string& secret) {
        const std::string text = http::url_encode(id) + ":" + http::url_encode(secret);
        std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
        const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
        out.resize(static_cast<std::size_t>(n));
        return "Basic " + out;
    }

    http::HttpResponse get(const std::string& path) {
        http::HttpRequest req;
        req.path = path;
        return router_.dispatch(req);
    }

    http::HttpResponse post(const std::string& path, const std::string& body,
                            const std::string& authorization = {}) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = path;
        req.body = body;
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        if (!authorization.empty()) {
            req.headers.set("Authorization", authorization);
        }
        return router_.dispatch(req);
    }

    // A client_credentials token for `id`, or an empty string (with the test failed).
    std::string token_for(const std::string& id, const std::string& secret,
                          const std::string& extra = {}) {
        auto response = post("/token", "grant_type=client_credentials" + extra, basic(id, secret));
        EXPECT_EQ(response.status, 200) << response.body;
        if (response.status != 200) {
            return {};
        }
        return nlohmann::json::parse(response.body)["access_token"].get<std::string>();
    }

    nlohmann::json introspect(const std::string& token, const std::string& id,
                              const std::string& secret) {
        auto response = post("/introspect", "token=" + http::url_encode(token), basic(id, secret));
        EXPECT_EQ(response.status, 200) << response.body;
        return nlohmann::json::parse(response.body);
    }

    std::int64_t now_ = 1'700'000'000;
    // A derived fixture may set these before calling OidcTest::SetUp().
    oidc::Options options_;
    oidc::UserProfileLookup users_;
    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<jose::MasterKey> master_;
    jose::KeyStoreOptions key_options_;
    std::unique_ptr<jose::KeyStore> keys_;
    std::unique_ptr<oidc::ClientSecretHasher> hasher_;
    std::unique_ptr<oidc::Provider> provider_;
    http::Router router_;
};

}  // namespace idpd::testing_support
