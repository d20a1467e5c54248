// Discovery is truthful: every endpoint it lists answers, and JWKS publishes public keys only.
#include <gmock/gmock.h>
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
    EXPECT_EQ(doc["grant_types_supported"],
              json::array({"authorization_code", "client_credentials", "refresh_token"}));
    EXPECT_EQ(doc["id_token_signing_alg_values_supported"], json::array({"RS256", "ES256"}));
    EXPECT_EQ(doc["authorization_endpoint"], std::string(issuer) + "/authorize");
    EXPECT_EQ(doc["response_types_supported"], json::array({"code"}));
    EXPECT_EQ(doc["response_modes_supported"], json::array({"query", "form_post"}));
    EXPECT_EQ(doc["code_challenge_methods_supported"], json::array({"S256"}));
    EXPECT_EQ(doc["subject_types_supported"], json::array({"public", "pairwise"}));
    EXPECT_EQ(doc["authorization_response_iss_parameter_supported"], true);
    EXPECT_EQ(doc["userinfo_endpoint"], std::string(issuer) + "/userinfo");
    EXPECT_EQ(doc["scopes_supported"],
              json::array({"openid", "profile", "email", "phone", "offline_access"}));
    EXPECT_EQ(doc["dpop_signing_alg_values_supported"],
              json::array({"RS256", "PS256", "ES256", "EdDSA"}));
    EXPECT_THAT(doc["claims_supported"], testing::Contains("email_verified"));
    EXPECT_THAT(doc["claims_supported"], testing::Contains("phone_number_verified"));
    EXPECT_EQ(doc["pushed_authorization_request_endpoint"], std::string(issuer) + "/par");
    EXPECT_EQ(doc["require_pushed_authorization_requests"], false);
    EXPECT_FALSE(doc.contains("end_session_endpoint"));
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
        if (name == "authorization_endpoint") {
            // No client: a page, never a redirect.
            EXPECT_EQ(response.status, 400) << response.body;
        } else if (name == "userinfo_endpoint") {
            // No token: a Bearer challenge (RFC 6750 §3.1).
            EXPECT_EQ(response.status, 401);
            EXPECT_TRUE(response.headers.get("WWW-Authenticate")->starts_with("Bearer"));
        } else if (name != "jwks_uri") {
            // Unauthenticated: an OAuth error, not a router error.
            EXPECT_TRUE(json::parse(response.body).contains("error")) << name;
        }
    }
    EXPECT_EQ(endpoints, 7);  // no /logout here: the OP alone has no pages
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
