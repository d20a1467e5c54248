// A relying party's view of the whole app in-process, for the logout and PAR tests: clients
// registered in the database, browsers that sign up, authorization URLs, code redemption, and
// the query of a redirect.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/oidc_settings.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"
#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"

namespace idpd::testing_support {

class RpTest : public AppTest {
protected:
    static constexpr std::string_view password = "correct horse battery";
    static constexpr std::string_view redirect = "https://rp.example.com/cb";
    static constexpr std::string_view verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    static std::string challenge() {
        return jose::base64url_encode(oidc::sha256(std::string(verifier)));
    }

    // Registers a public client, or a confidential one (client_secret_basic) when `secret` is
    // given.
    void add_client(const std::string& id, const std::string& secret = {},
                    const std::function<void(oidc::Client&)>& more = {}) {
        oidc::Client client;
        client.client_id = id;
        client.name = "App " + id;
        client.first_party = true;  // consent has its own tests (consent_test.cpp)
        client.redirect_uris = {std::string(redirect)};
        client.grant_types = {"authorization_code"};
        client.scopes = {"openid", "profile", "email", "read"};
        if (secret.empty()) {
            client.type = oidc::ClientType::public_client;
            client.token_endpoint_auth_method = oidc::AuthMethod::none;
        } else {
            auto master = jose::load_master_key(app::master_key_options(config_));
            ASSERT_TRUE(master) << master.error().detail;
            client.secret_hash = oidc::ClientSecretHasher(*master).hash(secret);
        }
        if (more) {
            more(client);
        }
        oidc::ClientStore clients(*db_);
        ASSERT_TRUE(clients.create(client));
    }

    // Signs `name` up in a fresh browser and returns it signed in.
    Browser signed_up(const std::string& name) {
        Browser b(*app_);
        b.accept_language = "en";
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", std::string(password)},
                           {"confirm", std::string(password)},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    // Signs `name` in (again) in a fresh browser.
    Browser signed_in(const std::string& name) {
        Browser b(*app_);
        b.accept_language = "en";
        auto form = b.get("/signin");
        auto r = b.post("/signin", {{"identifier", name},
                                    {"password", std::string(password)},
                                    {"csrf", Browser::input_value(form.body, "csrf")}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    static std::map<std::string, std::string> authorize_params(const std::string& client_id) {
        return {{"response_type", "code"},
                {"client_id", client_id},
                {"redirect_uri", std::string(redirect)},
                {"scope", "openid profile"},
                {"state", "st-1"},
                {"nonce", "n-1"},
                {"code_challenge", challenge()},
                {"code_challenge_method", "S256"}};
    }

    static std::string query(const std::map<std::string, std::string>& params) {
        std::string out;
        for (const auto& [k, v] : params) {
            if (!out.empty()) {
                out += '&';
            }
            out += http::url_encode(k);
            out += '=';
            out += http::url_encode(v);
        }
        return out;
    }

    static std::string authorize_url(const std::string& client_id,
                                     const std::map<std::string, std::string>& overrides = {}) {
        auto params = authorize_params(client_id);
        for (const auto& [k, v] : overrides) {
            params[k] = v;
        }
        return "/authorize?" + query(params);
    }

    // The query parameters of a Location header.
    static std::map<std::string, std::string> query_of(const std::string& location) {
        std::map<std::string, std::string> out;
        auto q = location.find('?');
        if (q == std::string::npos) {
            return out;
        }
        for (auto& [k, v] : http::parse_urlencoded(location.substr(q + 1))) {
            out[k] = v;
        }
        return out;
    }

    // The code of a successful authorization response ("" with the test failed otherwise).
    static std::string code_from(const http::HttpResponse& r) {
        EXPECT_EQ(r.status, 303) << r.body;
        const auto location = r.headers.get("Location").value_or("");
        EXPECT_TRUE(location.starts_with(std::string(redirect) + "?")) << location;
        auto q = query_of(location);
        EXPECT_EQ(q["state"], "st-1");
        return q["code"];
    }

    http::HttpResponse post(const std::string& path, const std::string& body,
                            const std::string& authorization = {}) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        if (!authorization.empty()) {
            req.headers.set("Authorization", authorization);
        }
        req.body = body;
        return app_->handle(req);
    }

    // The token response of redeeming `code` (client_id in the body: a public client, unless
    // `authorization` authenticates a confidential one).
    nlohmann::json redeem(const std::string& client_id, const std::string& code,
                          const std::string& authorization = {}) {
        std::string body = "grant_type=authorization_code&code=" + http::url_encode(code) +
                           "&redirect_uri=" + http::url_encode(std::string(redirect)) +
                           "&code_verifier=" + std::string(verifier);
        if (authorization.empty()) {
            body += "&client_id=" + http::url_encode(client_id);
        }
        auto r = post("/token", body, authorization);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? nlohmann::json::parse(r.body) : nlohmann::json::object();
    }

    // An ID token for `client_id` from a full code flow in browser `b`.
    std::string id_token_for(Browser& b, const std::string& client_id) {
        auto token = redeem(client_id, code_from(b.get(authorize_url(client_id))));
        return token.value("id_token", "");
    }

    // Our published keys, as an RP fetches them.
    jose::KeySet published_keys() {
        auto jwks = get("/jwks");
        auto keys = jose::KeySet::from_jwks(nlohmann::json::parse(jwks.body));
        EXPECT_TRUE(keys);
        return keys ? std::move(*keys) : jose::KeySet{};
    }

    // The claims of one of our JWTs, verified as an RP would.
    nlohmann::json verified_claims(const std::string& token, jose::TokenType type,
                                   const std::string& audience) {
        jose::JwtRules rules;
        rules.type = type;
        rules.issuer = std::string(origin);
        rules.audience = audience;
        auto verified =
            jose::verify_jwt(token, published_keys(), rules, std::chrono::system_clock::now());
        EXPECT_TRUE(verified) << (verified ? "" : verified.error().detail);
        return verified ? verified->claims : nlohmann::json::object();
    }

    static std::string basic(const std::string& id, const std::string& secret) {
        const std::string text = id + ":" + secret;
        return "Basic " + base64(text);
    }

    static std::string base64(const std::string& text) {
        std::string out = jose::base64url_encode(text);
        for (char& c : out) {
            c = c == '-' ? '+' : c == '_' ? '/' : c;
        }
        while (out.size() % 4 != 0) {
            out += '=';
        }
        return out;
    }

    std::int64_t count(const std::string& sql) {
        auto rows = db_->query(sql, {});
        EXPECT_TRUE(rows);
        return rows && !rows->empty() ? rows->front().integer(0) : -1;
    }
};

}  // namespace idpd::testing_support
