// The fixture of the authorization code flow tests: a client, a signed-up browser, authorize
// URLs with PKCE, the code from a redirect, and /token and /userinfo calls.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/app_fixture.h"
#include "integration/browser.h"
#include "jose/base64url.h"
#include "oidc/client_store.h"
#include "oidc/token/id_token.h"

namespace idpd::testing_support {

inline constexpr std::string_view password = "correct horse battery";
inline constexpr std::string_view redirect = "https://rp.example.com/cb";
inline const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

inline std::string challenge_of(const std::string& v) {
    return jose::base64url_encode(oidc::sha256(v));
}

// The query parameters of a Location header.
inline std::map<std::string, std::string> query_of(const std::string& location) {
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

class AuthorizationCodeFlowTest : public AppTest {
protected:
    void add_client(const std::string& id, oidc::AccessTokenFormat format,
                    std::vector<std::string> redirect_uris = {std::string(redirect)},
                    bool first_party = true) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.first_party = first_party;  // consent has its own tests (consent_test.cpp)
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
        client.redirect_uris = std::move(redirect_uris);
        client.grant_types = {"authorization_code"};
        client.scopes = {"openid", "profile", "email", "read"};
        client.access_token_format = format;
        oidc::ClientStore clients(*db_);
        ASSERT_TRUE(clients.create(client));
    }

    // Signs `name` up in a fresh browser and returns it signed in.
    Browser signed_up(const std::string& name) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", std::string(password)},
                           {"confirm", std::string(password)},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    static std::string authorize_url(const std::string& client_id,
                                     std::map<std::string, std::string> overrides = {}) {
        std::map<std::string, std::string> params{{"response_type", "code"},
                                                  {"client_id", client_id},
                                                  {"redirect_uri", std::string(redirect)},
                                                  {"scope", "openid profile"},
                                                  {"state", "st-1"},
                                                  {"nonce", "n-1"},
                                                  {"code_challenge", challenge_of(verifier)},
                                                  {"code_challenge_method", "S256"}};
        for (auto& [k, v] : overrides) {
            if (v.empty()) {
                params.erase(k);
            } else {
                params[k] = v;
            }
        }
        std::string url = "/authorize?";
        for (const auto& [k, v] : params) {
            url += http::url_encode(k) + "=" + http::url_encode(v) + "&";
        }
        url.pop_back();
        return url;
    }

    // The code from a successful authorization response, checking state and iss on the way.
    static std::string code_from(const http::HttpResponse& r) {
        EXPECT_EQ(r.status, 303) << r.body;
        const auto location = r.headers.get("Location").value_or("");
        EXPECT_TRUE(location.starts_with(std::string(redirect) + "?")) << location;
        auto q = query_of(location);
        EXPECT_EQ(q["state"], "st-1");
        EXPECT_EQ(q["iss"], std::string(origin));
        EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
        return q["code"];
    }

    http::HttpResponse userinfo(const std::string& access_token, bool post_body = false) {
        http::HttpRequest req;
        req.method = post_body ? http::Method::post : http::Method::get;
        req.path = "/userinfo";
        req.peer_ip = "127.0.0.1";
        if (post_body) {
            req.headers.set("Content-Type", "application/x-www-form-urlencoded");
            req.body = "access_token=" + http::url_encode(access_token);
        } else {
            req.headers.set("Authorization", "Bearer " + access_token);
        }
        return app_->handle(req);
    }

    http::HttpResponse redeem(const std::string& client_id, const std::string& code,
                              const std::string& code_verifier = verifier) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/token";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.body = "grant_type=authorization_code&client_id=" + http::url_encode(client_id) +
                   "&code=" + http::url_encode(code) +
                   "&redirect_uri=" + http::url_encode(std::string(redirect)) +
                   "&code_verifier=" + http::url_encode(code_verifier);
        return app_->handle(req);
    }

    std::int64_t count(const std::string& sql) {
        auto rows = db_->query(sql, {});
        EXPECT_TRUE(rows);
        return rows ? rows->front().integer(0) : -1;
    }
};

}  // namespace idpd::testing_support
