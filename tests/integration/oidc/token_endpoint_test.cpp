// POST /token with client_credentials, and the errors around it.
#include <gtest/gtest.h>

#include "integration/oidc/oidc_fixture.h"
#include "jose/jws.h"
#include "jose/jwt.h"

namespace idpd::testing_support {
namespace {

std::string kid_of(const std::string& token) {
    auto header = jose::peek_header(token);
    return header ? header->value("kid", "") : "";
}

using nlohmann::json;

jose::KeySet published_keys(const http::HttpResponse& jwks) {
    auto keys = jose::KeySet::from_jwks(json::parse(jwks.body));
    EXPECT_TRUE(keys);
    return keys ? *keys : jose::KeySet();
}

TEST_F(OidcTest, ClientCredentialsIssuesJwtThatVerifiesAgainstJwks) {
    for (auto alg : {jose::Alg::rs256, jose::Alg::es256}) {
        const std::string id = "svc-" + std::string(jose::alg_name(alg));
        const std::string secret = add_client(id, oidc::AccessTokenFormat::jwt, alg);
        auto response =
            post("/token", "grant_type=client_credentials&scope=read", basic(id, secret));
        ASSERT_EQ(response.status, 200) << response.body;
        EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
        EXPECT_EQ(response.headers.get("Pragma"), "no-cache");
        auto body = json::parse(response.body);
        EXPECT_EQ(body["token_type"], "Bearer");
        EXPECT_EQ(body["expires_in"], 600);
        EXPECT_EQ(body["scope"], "read");
        EXPECT_FALSE(body.contains("refresh_token"));

        jose::JwtRules rules;
        rules.type = jose::TokenType::at_jwt;
        rules.issuer = std::string(issuer);
        rules.audience = std::string(issuer);
        rules.required_claims = {"sub", "client_id", "iat", "jti", "scope"};
        auto verified = jose::verify_jwt(
            body["access_token"].get<std::string>(), published_keys(get("/jwks")), rules,
            std::chrono::system_clock::time_point(std::chrono::seconds(now_)));
        ASSERT_TRUE(verified) << verified.error().detail;
        EXPECT_EQ(verified->header["typ"], "at+jwt");
        EXPECT_EQ(verified->header["alg"], jose::alg_name(alg));
        EXPECT_EQ(verified->claims["sub"], id);
        EXPECT_EQ(verified->claims["client_id"], id);
        EXPECT_EQ(verified->claims["scope"], "read");
        EXPECT_EQ(verified->claims["exp"], now_ + 600);
        EXPECT_EQ(verified->claims["iat"], now_);
    }
}

TEST_F(OidcTest, DefaultScopeIsEverythingAllowedAndPostAuthWorks) {
    oidc::Client client;
    const std::string secret = "s3cret";
    client.client_id = "poster";
    client.name = "poster";
    client.token_endpoint_auth_method = oidc::AuthMethod::client_secret_post;
    client.secret_hash = hasher_->hash(secret);
    client.grant_types = {"client_credentials"};
    client.scopes = {"read", "write"};
    ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    auto response =
        post("/token", "grant_type=client_credentials&client_id=poster&client_secret=s3cret");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(json::parse(response.body)["scope"], "read write");
    // Registered for client_secret_post: Basic is refused like a wrong secret.
    auto basic_response = post("/token", "grant_type=client_credentials", basic("poster", secret));
    EXPECT_EQ(basic_response.status, 401);
}

TEST_F(OidcTest, WrongSecretAndUnknownClientGetTheSameInvalidClient) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    auto wrong = post("/token", "grant_type=client_credentials", basic("svc", secret + "x"));
    auto unknown = post("/token", "grant_type=client_credentials", basic("nobody", secret));
    for (const auto* response : {&wrong, &unknown}) {
        EXPECT_EQ(response->status, 401);
        ASSERT_TRUE(response->headers.get("WWW-Authenticate"));
        EXPECT_TRUE(response->headers.get("WWW-Authenticate")->starts_with("Basic realm="));
        EXPECT_EQ(json::parse(response->body)["error"], "invalid_client");
    }
    EXPECT_EQ(wrong.body, unknown.body);
}

TEST_F(OidcTest, PercentEncodedBasicCredentialsAuthenticate) {
    const std::string id = "svc:with space/ü";
    const std::string secret = add_client(id, oidc::AccessTokenFormat::jwt);
    EXPECT_FALSE(token_for(id, secret).empty());
}

TEST_F(OidcTest, DuplicateParameterIsInvalidRequest) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    auto response = post("/token", "grant_type=client_credentials&scope=read&scope=write",
                         basic("svc", secret));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(json::parse(response.body)["error"], "invalid_request");
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
}

TEST_F(OidcTest, OtherGrantsAreUnsupported) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    for (const char* grant : {"password", "urn:x"}) {
        auto response = post("/token", std::string("grant_type=") + grant, basic("svc", secret));
        EXPECT_EQ(response.status, 400) << grant;
        EXPECT_EQ(json::parse(response.body)["error"], "unsupported_grant_type") << grant;
    }
    // Implemented, but this client is not registered for it.
    auto code = post("/token", "grant_type=authorization_code", basic("svc", secret));
    EXPECT_EQ(json::parse(code.body)["error"], "unauthorized_client");
    auto refresh = post("/token", "grant_type=refresh_token", basic("svc", secret));
    EXPECT_EQ(json::parse(refresh.body)["error"], "unauthorized_client");
    auto missing = post("/token", "scope=read", basic("svc", secret));
    EXPECT_EQ(json::parse(missing.body)["error"], "invalid_request");
}

TEST_F(OidcTest, ScopeOutsideTheClientsIsInvalidScope) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    auto response =
        post("/token", "grant_type=client_credentials&scope=read+admin", basic("svc", secret));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(json::parse(response.body)["error"], "invalid_scope");
}

TEST_F(OidcTest, PublicClientCannotUseClientCredentials) {
    add_client("spa", oidc::AccessTokenFormat::jwt, jose::Alg::rs256, true);
    auto response = post("/token", "grant_type=client_credentials&client_id=spa");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(json::parse(response.body)["error"], "unauthorized_client");
}

TEST_F(OidcTest, KeyRotationKeepsOldTokensVerifiableUntilTheyExpire) {
    const std::string secret = add_client("svc", oidc::AccessTokenFormat::jwt);
    const std::string old_token = token_for("svc", secret);
    ASSERT_TRUE(keys_->rotate(jose::Alg::rs256, true));
    const std::string new_token = token_for("svc", secret);
    EXPECT_NE(kid_of(old_token), kid_of(new_token));
    // Both verify against the published JWKS and introspect as active.
    EXPECT_EQ(introspect(old_token, "svc", secret)["active"], true);
    EXPECT_EQ(introspect(new_token, "svc", secret)["active"], true);
    auto keys = published_keys(get("/jwks"));
    EXPECT_NE(keys.find(kid_of(old_token)), nullptr);
    // After the longest token lifetime the retired key leaves the JWKS.
    now_ += key_options_.max_token_lifetime.count();
    keys = published_keys(get("/jwks"));
    EXPECT_EQ(keys.find(kid_of(old_token)), nullptr);
    EXPECT_EQ(introspect(old_token, "svc", secret)["active"], false);
}

}  // namespace
}  // namespace idpd::testing_support

namespace idpd::testing_support {

TEST_F(OidcTest, ClientCredentialsNeverGrantsOpenid) {
    oidc::Client client;
    client.client_id = "7";
    client.name = "seven";
    const std::string secret = "s3cret";
    client.secret_hash = hasher_->hash(secret);
    client.grant_types = {"client_credentials"};
    client.scopes = {"openid", "read"};
    client.created_at = now_;
    oidc::ClientStore clients(*db_);
    ASSERT_TRUE(clients.create(client));
    auto asked = post("/token", "grant_type=client_credentials&scope=openid", basic("7", secret));
    EXPECT_EQ(nlohmann::json::parse(asked.body)["error"], "invalid_scope");
    auto by_default = post("/token", "grant_type=client_credentials", basic("7", secret));
    ASSERT_EQ(by_default.status, 200) << by_default.body;
    EXPECT_EQ(nlohmann::json::parse(by_default.body)["scope"], "read");
}

}  // namespace idpd::testing_support
