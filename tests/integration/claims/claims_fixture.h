// The fixture of the claims and billing API tests: the app with injected organization
// memberships, a client allowed the extra scopes, the code flow to tokens, and the JWT payloads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/ledger.h"
#include "integration/oidc/authorization_code_fixture.h"
#include "org/membership.h"

namespace idpd::testing_support {

class ClaimsTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        // The app again, now with the memberships this test decides.
        app_.reset();
        app::Injections injections;
        injections.clock = [this] {
            return std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_);
        };
        injections.captcha_codes = &captcha_codes_;
        injections.memberships = [this](std::int64_t user_id) {
            return store::Result<std::vector<org::Membership>>(orgs_[user_id]);
        };
        app_ = std::make_unique<app::App>(config_, *db_, injections);
        add_claims_client("rp", oidc::AccessTokenFormat::jwt);
    }

    void add_claims_client(const std::string& id, oidc::AccessTokenFormat format,
                           std::vector<std::string> scopes = {"openid", "profile", "email", "plan",
                                                              "billing", "orgs", "offline_access",
                                                              "billing:pay", "quota:report"},
                           bool first_party = true) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.first_party = first_party;
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
        client.redirect_uris = {std::string(redirect)};
        client.grant_types = {"authorization_code", "refresh_token"};
        client.scopes = std::move(scopes);
        client.access_token_format = format;
        ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    }

    std::int64_t user_id(const std::string& name) {
        return account::UserStore(*db_).find_by_username(name).value().id;
    }

    static std::chrono::sys_seconds now() {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }

    // Credits `fen` to the owner's account (opened on the Free plan when new); its id.
    std::int64_t fund(billing::Owner owner, std::int64_t fen, const std::string& key = "seed") {
        const auto account = billing::AccountStore(*db_).open(owner, "free-2x", now()).value();
        EXPECT_TRUE(billing::credit(
            *db_, {account.id, billing::EntryType::top_up, fen, "T-" + key, key}, now()));
        return account.id;
    }

    // The token response of the code flow for `scope` (and more parameters), or a failure.
    nlohmann::json tokens(Browser& b, const std::string& scope,
                          std::map<std::string, std::string> more = {},
                          const std::string& client_id = "rp") {
        more["scope"] = scope;
        const std::string code = code_from(b.get(authorize_url(client_id, more)));
        auto r = redeem(client_id, code);
        EXPECT_EQ(r.status, 200) << r.body;
        return nlohmann::json::parse(r.body);
    }

    static nlohmann::json payload(const std::string& jwt) {
        const auto first = jwt.find('.');
        const auto second = jwt.find('.', first + 1);
        return nlohmann::json::parse(
            jose::base64url_decode(jwt.substr(first + 1, second - first - 1)).value());
    }

    http::HttpResponse introspect(const std::string& token, const std::string& client_id = "rp") {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/introspect";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.body = "client_id=" + client_id + "&token=" + http::url_encode(token);
        return app_->handle(req);
    }

    http::HttpResponse refresh(const std::string& refresh_token, const std::string& extra = {}) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/token";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.body = "grant_type=refresh_token&client_id=rp&refresh_token=" +
                   http::url_encode(refresh_token) + extra;
        return app_->handle(req);
    }

    // An /api/v1 call with a Bearer token.
    http::HttpResponse api(http::Method method, std::string path, const std::string& token,
                           const std::string& body = {}) {
        http::HttpRequest req;
        req.method = method;
        const auto q = path.find('?');
        if (q != std::string::npos) {
            req.query = path.substr(q + 1);
            path.resize(q);
        }
        req.path = path;
        req.peer_ip = "127.0.0.1";
        if (!token.empty()) {
            req.headers.set("Authorization", "Bearer " + token);
        }
        if (!body.empty()) {
            req.headers.set("Content-Type", "application/json");
            req.body = body;
        }
        return app_->handle(req);
    }

    std::map<std::int64_t, std::vector<org::Membership>> orgs_;
};

}  // namespace idpd::testing_support
