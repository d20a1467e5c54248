// Discovery is truthful: every endpoint it lists answers, and JWKS publishes public keys only.
#include <gtest/gtest.h>

#include "integration/app_fixture.h"
#include "integration/oidc/oidc_fixture.h"
#include "jose/jwk.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

TEST_F(OidcTest, BothDiscoveryPathsServeTheSameTruthfulDocument) {
    auto oidc_doc = get("/.well-known/openid-configuration");
    auto oauth_doc = get("/.well-known/oauth-authorization-server");
    ASSERT_EQ(oidc_doc.status, 200);
    ASSERT_EQ(oauth_doc.status, 200);
    EXPECT_EQ(oidc_doc.body, oauth_doc.body);
    auto doc = json::parse(oidc_doc.body);
    EXPECT_EQ(doc["issuer"], issuer);
    EXPECT_EQ(doc["grant_types_supported"], json::array({"client_credentials"}));
    EXPECT_EQ(doc["id_token_signing_alg_values_supported"], json::array({"RS256", "ES256"}));
    EXPECT_FALSE(doc.contains("authorization_endpoint"));
    EXPECT_FALSE(doc.contains("userinfo_endpoint"));
    // Every *_endpoint and jwks_uri is a route that answers (not 404/405).
    const std::string base(issuer);
    int endpoints = 0;
    for (const auto& [name, value] : doc.items()) {
        if (!name.ends_with("_endpoint") && name != "jwks_uri") {
            continue;
        }
        ++endpoints;
        const std::string url = value.get<std::string>();
        ASSERT_TRUE(url.starts_with(base)) << url;
        const std::string path = url.substr(base.size());
        auto response = name == "jwks_uri" ? get(path) : post(path, "");
        EXPECT_NE(response.status, 404) << name;
        EXPECT_NE(response.status, 405) << name;
        if (name != "jwks_uri") {
            // Unauthenticated: an OAuth error, not a router error.
            EXPECT_TRUE(json::parse(response.body).contains("error")) << name;
        }
    }
    EXPECT_EQ(endpoints, 4);
}

TEST_F(OidcTest, JwksPublishesActiveAndNextKeysWithoutPrivateMembers) {
    auto response = get("/jwks");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.headers.get("Content-Type"), "application/jwk-set+json");
    EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=300");
    auto jwks = json::parse(response.body);
    ASSERT_EQ(jwks["keys"].size(), 4u);  // RS256 and ES256, active and next each
    for (const auto& jwk : jwks["keys"]) {
        EXPECT_FALSE(jose::has_private_members(jwk)) << jwk.dump();
        EXPECT_EQ(jwk["use"], "sig");
        EXPECT_TRUE(jwk.contains("kid"));
    }
    auto infos = keys_->list();
    ASSERT_TRUE(infos);
    for (const auto& info : *infos) {
        bool found = false;
        for (const auto& jwk : jwks["keys"]) {
            found = found || jwk["kid"] == info.kid;
        }
        EXPECT_TRUE(found) << info.kid << " " << jose::key_state_name(info.state);
    }
}

// The app wires the provider: discovery through the whole pipeline.
TEST_F(AppTest, AppServesOpenIdConfiguration) {
    auto response = get("/.well-known/openid-configuration");
    ASSERT_EQ(response.status, 200);
    auto doc = json::parse(response.body);
    EXPECT_EQ(doc["issuer"], config_.server.issuer);
    EXPECT_EQ(doc["token_endpoint"], config_.server.issuer + "/token");
    EXPECT_TRUE(std::filesystem::exists(dir_ / "master.key"));
    auto mode = std::filesystem::status(dir_ / "master.key").permissions();
    EXPECT_EQ(mode & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace idpd::testing_support
