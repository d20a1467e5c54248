// Dynamic client registration (RFC 7591) and its management (RFC 7592): off by default, guarded
// by the initial access token, validating metadata with the same rules as every other way in,
// and the registered client then authenticates and can be read, replaced and deleted.
#include <gtest/gtest.h>

#include "integration/oidc/oidc_fixture.h"
#include "jose/jwt.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

constexpr std::string_view initial_token = "initial-access-token-0123456789abcdef";

class RegistrationTest : public OidcTest {
protected:
    void SetUp() override {
        OidcTest::SetUp();
        oidc::Options options;
        options.issuer = std::string(issuer);
        options.registration_enabled = true;
        options.registration_initial_access_token = std::string(initial_token);
        router_ = http::Router();
        provider_ = std::make_unique<oidc::Provider>(options, *db_, *keys_, *hasher_, clock(),
                                                     oidc::system_random_bytes);
        provider_->add_routes(router_);
    }

    http::HttpResponse send(http::Method method, const std::string& path, const std::string& body,
                            const std::string& token) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.body = body;
        req.headers.set("Content-Type", "application/json");
        if (!token.empty()) {
            req.headers.set("Authorization", "Bearer " + token);
        }
        return router_.dispatch(req);
    }

    http::HttpResponse register_client(const json& metadata,
                                       const std::string& token = std::string(initial_token)) {
        return send(http::Method::post, "/register", metadata.dump(), token);
    }

    // The error of a 400 registration answer.
    std::string refusal(const json& metadata) {
        auto r = register_client(metadata);
        EXPECT_EQ(r.status, 400) << r.body;
        auto body = json::parse(r.body);
        return body.value("error", "") + ": " + body.value("error_description", "");
    }

    static std::string path_of(const json& registered) {
        const std::string uri = registered["registration_client_uri"];
        return uri.substr(std::string(issuer).size());
    }

    const json web_app{{"redirect_uris", {"https://rp.example.com/cb"}},
                       {"client_name", "RP"},
                       {"scope", "openid profile"}};
};

TEST_F(OidcTest, RegistrationIsOffByDefault) {
    EXPECT_EQ(post("/register", "{}").status, 404);
    auto doc = nlohmann::json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_FALSE(doc.contains("registration_endpoint"));
}

TEST_F(RegistrationTest, DiscoveryNamesTheEndpointWhenEnabled) {
    auto doc = json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_EQ(doc["registration_endpoint"], std::string(issuer) + "/register");
}

TEST_F(RegistrationTest, RegistrationNeedsTheInitialAccessToken) {
    for (const std::string& token :
         std::vector<std::string>{"", "wrong-token", std::string(initial_token) + "x"}) {
        auto r = register_client(web_app, token);
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_EQ(json::parse(r.body)["error"], "invalid_token");
        EXPECT_TRUE(r.headers.get("WWW-Authenticate").has_value());
    }
}

TEST_F(RegistrationTest, AConfidentialClientGetsCredentialsThatWork) {
    auto r = register_client({{"grant_types", {"client_credentials"}},
                              {"response_types", json::array()},
                              {"scope", "profile"},
                              {"first_party", true}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
    auto body = json::parse(r.body);
    const std::string id = body["client_id"];
    const std::string secret = body["client_secret"];
    EXPECT_EQ(body["client_secret_expires_at"], 0);
    EXPECT_EQ(body["client_id_issued_at"], now_);
    EXPECT_EQ(body["token_endpoint_auth_method"], "client_secret_basic");
    EXPECT_EQ(body["registration_client_uri"], std::string(issuer) + "/register/" + id);
    EXPECT_FALSE(body.contains("first_party"));  // the operator's to set; ignored
    auto stored = oidc::ClientStore(*db_).find(id);
    ASSERT_TRUE(stored);
    EXPECT_FALSE(stored->first_party);
    EXPECT_NE(stored->secret_hash, secret);  // only the keyed hash is kept
    EXPECT_NE(stored->registration_token_hash, body["registration_access_token"]);
    auto token = post("/token", "grant_type=client_credentials", basic(id, secret));
    EXPECT_EQ(token.status, 200) << token.body;
}

TEST_F(RegistrationTest, APublicClientGetsNoSecret) {
    json metadata = web_app;
    metadata["token_endpoint_auth_method"] = "none";
    auto r = register_client(metadata);
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = json::parse(r.body);
    EXPECT_FALSE(body.contains("client_secret"));
    EXPECT_EQ(body["response_types"], json::array({"code"}));
    EXPECT_EQ(body["grant_types"], json::array({"authorization_code"}));
    EXPECT_EQ(body["subject_type"], "public");
}

TEST_F(RegistrationTest, BadMetadataIsRefusedNamingTheMember) {
    auto with = [&](const std::string& key, const json& value) {
        json metadata = web_app;
        metadata[key] = value;
        return refusal(metadata);
    };
    EXPECT_EQ(with("redirect_uris", {"https://rp.example.com/cb#frag"})
                  .rfind("invalid_redirect_uri: redirect_uris:", 0),
              0u);
    EXPECT_EQ(with("redirect_uris", {"http://rp.example.com/cb"}).rfind("invalid_redirect_uri", 0),
              0u);
    EXPECT_EQ(with("redirect_uris", json::array()).rfind("invalid_redirect_uri", 0), 0u);
    EXPECT_NE(with("jwks_uri", "https://rp.example.com/jwks").find("jwks_uri: not supported"),
              std::string::npos);
    EXPECT_NE(with("response_types", {"token"}).find("invalid_client_metadata: response_types"),
              std::string::npos);
    EXPECT_NE(with("grant_types", {"implicit"}).find("grant_types"), std::string::npos);
    EXPECT_NE(with("id_token_signed_response_alg", "HS256").find("id_token_signed_response_alg"),
              std::string::npos);
    EXPECT_NE(with("id_token_signed_response_alg", "PS256").find("does not sign with PS256"),
              std::string::npos);  // the fixture's key store has RS256 and ES256 only
    EXPECT_NE(with("scope", "openid payroll").find("scope: payroll"), std::string::npos);
    EXPECT_NE(
        with("backchannel_logout_uri", "http://rp.example.com/bc").find("backchannel_logout_uri"),
        std::string::npos);
    EXPECT_NE(with("post_logout_redirect_uris", {"javascript:alert(1)"})
                  .find("post_logout_redirect_uris"),
              std::string::npos);
    EXPECT_NE(with("token_endpoint_auth_method", "private_key_jwt").find("jwks"),
              std::string::npos);
    json two_hosts = web_app;
    two_hosts["subject_type"] = "pairwise";
    two_hosts["redirect_uris"] = {"https://a.example.com/cb", "https://b.example.com/cb"};
    EXPECT_NE(refusal(two_hosts).find("subject_type"), std::string::npos);
    auto r = send(http::Method::post, "/register", "not json", std::string(initial_token));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body)["error"], "invalid_client_metadata");
}

TEST_F(RegistrationTest, NativeAndLoopbackRedirectsAndPairwiseWithOneHostAreAccepted) {
    json native = web_app;
    native["token_endpoint_auth_method"] = "none";
    native["redirect_uris"] = {"com.example.app:/cb", "http://127.0.0.1/cb"};
    EXPECT_EQ(register_client(native).status, 201);
    json pairwise = web_app;
    pairwise["subject_type"] = "pairwise";
    pairwise["redirect_uris"] = {"https://rp.example.com/a", "https://rp.example.com/b"};
    auto r = register_client(pairwise);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(json::parse(r.body)["subject_type"], "pairwise");
}

TEST_F(RegistrationTest, AClientRegisteredWithJwksAuthenticatesWithPrivateKeyJwt) {
    auto key = jose::Key::generate(jose::Alg::eddsa, "rp-key");
    ASSERT_TRUE(key);
    auto r = register_client({{"grant_types", {"client_credentials"}},
                              {"token_endpoint_auth_method", "private_key_jwt"},
                              {"jwks", jose::KeySet({*key->public_key()}).to_jwks()}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = json::parse(r.body);
    EXPECT_FALSE(body.contains("client_secret"));
    const std::string id = body["client_id"];
    auto assertion = jose::sign_jwt(*key, jose::TokenType::jwt,
                                    {{"iss", id},
                                     {"sub", id},
                                     {"aud", std::string(issuer)},
                                     {"exp", now_ + 60},
                                     {"jti", "one"}});
    ASSERT_TRUE(assertion);
    auto token = post("/token",
                      "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%"
                      "3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" +
                          *assertion);
    EXPECT_EQ(token.status, 200) << token.body;
}

TEST_F(RegistrationTest, TheRegistrationAccessTokenReadsReplacesAndDeletes) {
    auto r = register_client(web_app);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto registered = json::parse(r.body);
    const std::string path = path_of(registered);
    const std::string rat = registered["registration_access_token"];

    auto read = send(http::Method::get, path, "", rat);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(json::parse(read.body)["redirect_uris"], registered["redirect_uris"]);
    EXPECT_FALSE(json::parse(read.body).contains("client_secret"));
    for (const std::string& token : std::vector<std::string>{std::string(), std::string("wrong"),
                                                             std::string(initial_token)}) {
        EXPECT_EQ(send(http::Method::get, path, "", token).status, 401);
    }
    EXPECT_EQ(send(http::Method::get, "/register/unknown", "", rat).status, 401);

    json replacement = web_app;
    replacement["client_id"] = registered["client_id"];
    replacement["redirect_uris"] = {"https://rp.example.com/new"};
    auto put = send(http::Method::put, path, replacement.dump(), rat);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(json::parse(put.body)["redirect_uris"], json::array({"https://rp.example.com/new"}));
    auto stored = oidc::ClientStore(*db_).find(registered["client_id"].get<std::string>());
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->redirect_uris, std::vector<std::string>{"https://rp.example.com/new"});
    // The secret stays what it was.
    EXPECT_TRUE(
        hasher_->matches(registered["client_secret"].get<std::string>(), stored->secret_hash));
    replacement["client_id"] = "someone-else";
    EXPECT_EQ(send(http::Method::put, path, replacement.dump(), rat).status, 400);
    replacement["client_id"] = registered["client_id"];
    replacement["client_secret"] = "not-the-secret";
    EXPECT_EQ(send(http::Method::put, path, replacement.dump(), rat).status, 400);

    EXPECT_EQ(send(http::Method::del, path, "", rat).status, 204);
    EXPECT_EQ(send(http::Method::get, path, "", rat).status, 401);
    EXPECT_FALSE(oidc::ClientStore(*db_).find(registered["client_id"].get<std::string>()));
}

TEST_F(RegistrationTest, OperatorClientsCannotBeManagedThroughRegistration) {
    (void)add_client("operator", oidc::AccessTokenFormat::jwt);
    EXPECT_EQ(send(http::Method::get, "/register/operator", "", "anything").status, 401);
    EXPECT_EQ(send(http::Method::del, "/register/operator", "", "").status, 401);
}

}  // namespace
}  // namespace idpd::testing_support
