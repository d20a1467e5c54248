// POST /introspect (RFC 7662) and POST /revoke (RFC 7009).
#include <gtest/gtest.h>

#include "integration/oidc/oidc_fixture.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

TEST_F(OidcTest, OpaqueTokenIntrospectsActiveThenInactiveAfterRevoke) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::opaque);
    const std::string token = token_for("svc", secret, "&scope=write");
    EXPECT_EQ(token.find('.'), std::string::npos);
    EXPECT_EQ(token.size(), 43u);
    auto active = introspect(token, "svc", secret);
    EXPECT_EQ(active["active"], true);
    EXPECT_EQ(active["client_id"], "svc");
    EXPECT_EQ(active["scope"], "write");
    EXPECT_EQ(active["exp"], now_ + 600);
    EXPECT_EQ(active["iss"], issuer);
    auto revoked = post("/revoke", "token=" + token, basic("svc", secret));
    EXPECT_EQ(revoked.status, 200);
    EXPECT_EQ(introspect(token, "svc", secret), json({{"active", false}}));
}

TEST_F(OidcTest, JwtTokenRevocationIsSeenByIntrospection) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    const std::string token = token_for("svc", secret);
    EXPECT_EQ(introspect(token, "svc", secret)["active"], true);
    EXPECT_EQ(
        post("/revoke", "token=" + token + "&token_type_hint=access_token", basic("svc", secret))
            .status,
        200);
    EXPECT_EQ(introspect(token, "svc", secret), json({{"active", false}}));
}

TEST_F(OidcTest, ExpiredAndUnknownTokensAreInactiveOnly) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::opaque);
    const std::string token = token_for("svc", secret);
    now_ += 600;
    EXPECT_EQ(introspect(token, "svc", secret), json({{"active", false}}));
    EXPECT_EQ(introspect("no-such-token", "svc", secret), json({{"active", false}}));
    EXPECT_EQ(introspect("a.b.c", "svc", secret), json({{"active", false}}));
}

TEST_F(OidcTest, IntrospectionByAnotherClient) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::opaque);
    const std::string api_secret = add_client("api", oidc::AccessTokenFormat::jwt);
    add_client("spa", oidc::AccessTokenFormat::jwt, jose::Alg::rs256, true);
    const std::string token = token_for("svc", secret);
    // A confidential client (a resource server) sees another client's token.
    auto by_api = introspect(token, "api", api_secret);
    EXPECT_EQ(by_api["active"], true);
    EXPECT_EQ(by_api["client_id"], "svc");
    // A public client does not.
    auto by_spa = post("/introspect", "client_id=spa&token=" + token);
    ASSERT_EQ(by_spa.status, 200);
    EXPECT_EQ(json::parse(by_spa.body), json({{"active", false}}));
    // Unauthenticated: invalid_client.
    auto anonymous = post("/introspect", "token=" + token);
    EXPECT_EQ(anonymous.status, 401);
    auto wrong_secret = post("/introspect", "token=" + token, basic("api", api_secret + "x"));
    EXPECT_EQ(wrong_secret.status, 401);
    EXPECT_EQ(json::parse(wrong_secret.body)["error"], "invalid_client");
}

TEST_F(OidcTest, ClientCannotRevokeAnotherClientsToken) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::opaque);
    const std::string other_secret = add_client("other", oidc::AccessTokenFormat::opaque);
    const std::string token = token_for("svc", secret);
    auto response = post("/revoke", "token=" + token, basic("other", other_secret));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(json::parse(response.body)["error"], "unauthorized_client");
    EXPECT_EQ(introspect(token, "svc", secret)["active"], true);
}

TEST_F(OidcTest, RevokingAnUnknownTokenAnswers200) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::opaque);
    EXPECT_EQ(post("/revoke", "token=unknown", basic("svc", secret)).status, 200);
    auto missing = post("/revoke", "token_type_hint=access_token", basic("svc", secret));
    EXPECT_EQ(json::parse(missing.body)["error"], "invalid_request");
}

}  // namespace
}  // namespace idpd::testing_support
