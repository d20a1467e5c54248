// private_key_jwt (RFC 7523 §2.2, OIDC Core §9): assertions made by our jose and by the npm
// package jose authenticate at /token and /introspect, once each, and every bad one is a 401
// invalid_client.
#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "integration/oidc/oidc_fixture.h"
#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/client_assertion_jti_store.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

constexpr std::string_view assertion_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

class ClientAssertionTest : public OidcTest {
protected:
    // Registers `id` as a private_key_jwt client holding the public half of `key`.
    void add_jwt_client(const std::string& id, const json& jwks) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.token_endpoint_auth_method = oidc::AuthMethod::private_key_jwt;
        client.jwks = jwks.dump();
        client.grant_types = {"client_credentials"};
        client.scopes = {"read"};
        client.created_at = now_;
        ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    }

    static json jwks_of(const jose::Key& key) {
        auto pub = key.public_key();
        EXPECT_TRUE(pub);
        return jose::KeySet({*pub}).to_jwks();
    }

    json claims(const std::string& id, const json& aud = std::string(issuer) + "/token") {
        return {{"iss", id},   {"sub", id},        {"aud", aud},
                {"iat", now_}, {"exp", now_ + 60}, {"jti", "jti-" + std::to_string(++jti_)}};
    }

    static std::string sign(const jose::Key& key, const json& body) {
        auto token = jose::sign_jwt(key, jose::TokenType::jwt, body);
        EXPECT_TRUE(token);
        return token ? *token : std::string();
    }

    http::HttpResponse token_with(const std::string& assertion, const std::string& extra = {},
                                  const std::string& authorization = {}) {
        return post("/token",
                    "grant_type=client_credentials&client_assertion_type=" +
                        http::url_encode(std::string(assertion_type)) +
                        "&client_assertion=" + http::url_encode(assertion) + extra,
                    authorization);
    }

    static void expect_invalid_client(const http::HttpResponse& r) {
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_EQ(json::parse(r.body)["error"], "invalid_client");
        EXPECT_TRUE(r.headers.get("WWW-Authenticate").has_value());
    }

    int jti_ = 0;
};

TEST_F(ClientAssertionTest, EveryAlgorithmAuthenticatesAtTheTokenEndpoint) {
    for (auto alg : {jose::Alg::rs256, jose::Alg::ps256, jose::Alg::es256, jose::Alg::eddsa}) {
        const std::string id = "jwt-" + std::string(jose::alg_name(alg));
        auto key = jose::Key::generate(alg, "k1");
        ASSERT_TRUE(key);
        add_jwt_client(id, jwks_of(*key));
        auto r = token_with(sign(*key, claims(id)));
        ASSERT_EQ(r.status, 200) << id << ": " << r.body;
        EXPECT_EQ(json::parse(r.body)["scope"], "read");
    }
}

TEST_F(ClientAssertionTest, AnAssertionIsAcceptedOnceEvenAfterAnotherProcessSawIt) {
    auto key = jose::Key::generate(jose::Alg::es256, "k1");
    add_jwt_client("once", jwks_of(*key));
    const std::string assertion = sign(*key, claims("once"));
    EXPECT_EQ(token_with(assertion).status, 200);
    expect_invalid_client(token_with(assertion));
    // The jti lives in the database, so a second provider (another process) refuses it too.
    http::Router other_router;
    oidc::Options options;
    options.issuer = std::string(issuer);
    oidc::Provider other(options, *db_, *keys_, *hasher_, clock(), oidc::system_random_bytes);
    other.add_routes(other_router);
    http::HttpRequest req;
    req.method = http::Method::post;
    req.path = "/token";
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    req.body = "grant_type=client_credentials&client_assertion_type=" +
               http::url_encode(std::string(assertion_type)) +
               "&client_assertion=" + http::url_encode(assertion);
    EXPECT_EQ(other_router.dispatch(req).status, 401);
}

TEST_F(ClientAssertionTest, AudienceMayBeTheIssuerTheTokenEndpointOrTheEndpointCalled) {
    auto key = jose::Key::generate(jose::Alg::es256, "k1");
    add_jwt_client("aud", jwks_of(*key));
    EXPECT_EQ(token_with(sign(*key, claims("aud", std::string(issuer)))).status, 200);
    EXPECT_EQ(token_with(sign(*key, claims("aud", json::array({"x", std::string(issuer)})))).status,
              200);
    expect_invalid_client(token_with(sign(*key, claims("aud", "https://other.example.com"))));
    // The introspection endpoint shares the authenticator: its own URL is an audience there.
    const std::string introspect_aud = std::string(issuer) + "/introspect";
    auto r = post(
        "/introspect",
        "token=x&client_assertion_type=" + http::url_encode(std::string(assertion_type)) +
            "&client_assertion=" + http::url_encode(sign(*key, claims("aud", introspect_aud))));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["active"], false);
    // ...but not at /token.
    expect_invalid_client(token_with(sign(*key, claims("aud", introspect_aud))));
}

TEST_F(ClientAssertionTest, BadAssertionsAreInvalidClient) {
    auto key = jose::Key::generate(jose::Alg::rs256, "k1");
    auto stranger = jose::Key::generate(jose::Alg::rs256, "k1");
    add_jwt_client("strict", jwks_of(*key));
    auto with = [&](const std::function<void(json&)>& change) {
        json body = claims("strict");
        change(body);
        return sign(*key, body);
    };
    expect_invalid_client(token_with(with([&](json& c) { c["exp"] = now_ + 3600; })));
    expect_invalid_client(token_with(with([&](json& c) { c["exp"] = now_ - 120; })));
    expect_invalid_client(token_with(with([&](json& c) { c.erase("exp"); })));
    expect_invalid_client(token_with(with([&](json& c) { c.erase("jti"); })));
    expect_invalid_client(token_with(with([&](json& c) { c["iss"] = "other"; })));
    expect_invalid_client(token_with(with([&](json& c) { c["nbf"] = now_ + 600; })));
    expect_invalid_client(token_with(sign(*stranger, claims("strict"))));
    // alg none and HS256 (keyed with the public key's bytes, the classic confusion attack).
    for (std::string alg : {"none", "HS256"}) {
        const std::string header = jose::base64url_encode(json{{"alg", alg}, {"kid", "k1"}}.dump());
        const std::string payload = jose::base64url_encode(claims("strict").dump());
        expect_invalid_client(token_with(header + "." + payload + "." +
                                         (alg == "none" ? "" : jose::base64url_encode("sig"))));
    }
}

TEST_F(ClientAssertionTest, MixingTheAssertionWithASecretIsInvalidClient) {
    auto key = jose::Key::generate(jose::Alg::es256, "k1");
    add_jwt_client("mixed", jwks_of(*key));
    expect_invalid_client(token_with(sign(*key, claims("mixed")), "&client_secret=x"));
    expect_invalid_client(token_with(sign(*key, claims("mixed")), {}, basic("mixed", "x")));
    // The wrong assertion type, and a client_id that is not the assertion's.
    auto r = post("/token",
                  "grant_type=client_credentials&client_assertion_type=urn:x&"
                  "client_assertion=" +
                      http::url_encode(sign(*key, claims("mixed"))));
    expect_invalid_client(r);
    expect_invalid_client(token_with(sign(*key, claims("mixed")), "&client_id=someone"));
    // A private_key_jwt client cannot fall back to a secret.
    (void)add_client("secretive", oidc::AccessTokenFormat::jwt);
    auto key2 = jose::Key::generate(jose::Alg::es256, "k1");
    expect_invalid_client(token_with(sign(*key2, claims("secretive"))));
}

TEST_F(ClientAssertionTest, JtisExpireAndTheJanitorQueryRemovesThem) {
    auto key = jose::Key::generate(jose::Alg::es256, "k1");
    add_jwt_client("sweep", jwks_of(*key));
    ASSERT_EQ(token_with(sign(*key, claims("sweep"))).status, 200);
    oidc::ClientAssertionJtiStore jtis(*db_);
    auto none_yet = jtis.delete_expired(now_);
    ASSERT_TRUE(none_yet);
    EXPECT_EQ(*none_yet, 0u);
    auto swept = jtis.delete_expired(now_ + 3600);
    ASSERT_TRUE(swept);
    EXPECT_EQ(*swept, 1u);
}

TEST_F(ClientAssertionTest, DiscoveryAdvertisesPrivateKeyJwtAndItsAlgs) {
    auto doc = json::parse(get("/.well-known/openid-configuration").body);
    for (const char* endpoint : {"token", "introspection", "revocation"}) {
        const std::string prefix = std::string(endpoint) + "_endpoint_auth_";
        const auto& methods = doc[prefix + "methods_supported"];
        EXPECT_NE(std::find(methods.begin(), methods.end(), "private_key_jwt"), methods.end());
        EXPECT_EQ(doc[prefix + "signing_alg_values_supported"],
                  json::array({"RS256", "PS256", "ES256", "EdDSA"}));
    }
}

// The npm package jose signs, our server verifies: the assertion format real RPs produce.
struct Node {
    int status = -1;
    std::string out;
};

Node run_node(const std::vector<std::string>& args) {
    std::string command = "node " + std::string(IDPD_SOURCE_DIR) + "/tests/e2e/jose_interop.mjs";
    for (const auto& arg : args) {
        command += " '" + arg + "'";
    }
    Node node;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return node;
    }
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        node.out.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    node.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return node;
}

TEST_F(ClientAssertionTest, AssertionsSignedByTheNpmJosePackageAuthenticate) {
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(IDPD_SOURCE_DIR) /
                                        "tests/e2e/node_modules/jose/package.json"))
        << "run `npm ci --prefix tests/e2e` (make test does)";
    for (std::string alg : {"RS256", "PS256", "ES256", "EdDSA"}) {
        const std::string id = "node-" + alg;
        auto node = run_node({"assertion", alg, id, std::string(issuer) + "/token",
                              std::to_string(now_), "node-jti-" + alg});
        ASSERT_EQ(node.status, 0) << node.out;
        const json result = json::parse(node.out);
        add_jwt_client(id, result["jwks"]);
        const std::string assertion = result["token"].get<std::string>();
        auto r = token_with(assertion);
        EXPECT_EQ(r.status, 200) << alg << ": " << r.body;
        expect_invalid_client(token_with(assertion));  // and only once
    }
}

}  // namespace
}  // namespace idpd::testing_support
