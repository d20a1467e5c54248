#pragma once

#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "account/user_store.h"
#include "federation/binding_store.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"
#include "support/process.h"

namespace idpd::testing_support {

// The app with every upstream pointed at tests/fakes/upstream_fakes.py, started on a loopback
// ephemeral port for each test and ended by PID when the test ends.
class FederationTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        fakes_ = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/python3", std::string(IDPD_SOURCE_DIR) +
                                                             "/tests/fakes/upstream_fakes.py"},
            std::map<std::string, std::string>{}, std::filesystem::path(IDPD_SOURCE_DIR));
        ASSERT_TRUE(fakes_->wait_for_output("\n", std::chrono::seconds(10))) << fakes_->err();
        port_ = std::stoi(fakes_->out().substr(fakes_->out().find(' ') + 1));
        const std::string base = "http://127.0.0.1:" + std::to_string(port_);
        auto& up = config_.federation.upstream;
        up["github_client_id"] = "fake-github-id";
        up["github_client_secret"] = "fake-github-secret";
        up["github_auth_base_url"] = base + "/github";
        up["github_api_base_url"] = base + "/github-api";
        up["bitbucket_client_id"] = "fakebitbucketkey";
        up["bitbucket_client_secret"] = "fake-bitbucket-secret";
        up["bitbucket_auth_base_url"] = base + "/bitbucket";
        up["bitbucket_api_base_url"] = base + "/bitbucket-api";
        up["wechat_client_id"] = "wxfakeappid000001";
        up["wechat_client_secret"] = "fake-wechat-secret";
        up["wechat_auth_base_url"] = base + "/wechat-open";
        up["wechat_api_base_url"] = base + "/wechat-api";
        up["qq_client_id"] = "101000001";
        up["qq_client_secret"] = "fake-qq-appkey";
        up["qq_auth_base_url"] = base + "/qq";
        up["qq_api_base_url"] = base + "/qq";
        up["oidc_client_id"] = "fake-oidc-client";
        up["oidc_client_secret"] = "fake-oidc-secret";
        up["oidc_issuer_url"] = base + "/oidc";
        up["oidc_display_name"] = "Corp SSO";
        // The generic OAuth2 connector, mapped onto the GitHub fake's endpoints and members.
        up["oauth2_client_id"] = "fake-github-id";
        up["oauth2_client_secret"] = "fake-github-secret";
        up["oauth2_display_name"] = "Coding";
        up["oauth2_authorize_url"] = base + "/github/login/oauth/authorize";
        up["oauth2_token_url"] = base + "/github/login/oauth/access_token";
        up["oauth2_userinfo_url"] = base + "/github-api/user";
        start_app();
    }

    void TearDown() override {
        fakes_.reset();  // SIGKILL by PID, then reaped
        AppTest::TearDown();
    }

    // Tells fake `name` who signs in next, or how it should fail.
    void fake_user(const std::string& name, const nlohmann::json& user) {
        httplib::Client c("127.0.0.1", port_);
        ASSERT_TRUE(c.Post("/_control/" + name + "/user", user.dump(), "application/json"));
    }

    void fake_mode(const std::string& name, const std::string& mode) {
        httplib::Client c("127.0.0.1", port_);
        ASSERT_TRUE(c.Post("/_control/" + name + "/mode", nlohmann::json{{"mode", mode}}.dump(),
                           "application/json"));
    }

    nlohmann::json last_authorize(const std::string& name) {
        httplib::Client c("127.0.0.1", port_);
        auto r = c.Get("/_control/" + name + "/last_authorize");
        return r ? nlohmann::json::parse(r->body) : nlohmann::json{};
    }

    // The browser follows the upstream's redirect: GETs `url` at the fake and returns the
    // Location it answers (our callback, as a path with its query).
    std::string through_upstream(const std::string& url) {
        const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
        EXPECT_TRUE(url.starts_with(origin)) << url;
        httplib::Client c("127.0.0.1", port_);
        auto r = c.Get(url.substr(origin.size()));
        EXPECT_TRUE(r);
        if (!r) {
            return {};
        }
        EXPECT_EQ(r->status, 302) << r->body;
        std::string location = r->get_header_value("Location");
        const std::string ours = "http://localhost:8080";
        EXPECT_TRUE(location.starts_with(ours)) << location;
        return location.substr(ours.size());
    }

    // Presses "Continue with <provider>" on `page` (intent sign_in) or the account page's bind
    // button, through the fake, and returns our callback's answer.
    http::HttpResponse upstream_login(Browser& b, const std::string& provider,
                                      const std::string& page = "/signin",
                                      const std::string& intent = "sign_in") {
        auto form = b.get(page);
        auto started =
            b.post("/federation/" + provider + "/start",
                   {{"csrf", Browser::csrf_of(form.body)}, {"intent", intent}, {"return_to", ""}});
        EXPECT_EQ(started.status, 303) << started.body;
        auto callback = through_upstream(started.headers.get("Location").value_or(""));
        return b.get(callback);
    }

    // Signs in through `provider` as a new user and creates the account on the continue page.
    http::HttpResponse sign_up_with(Browser& b, const std::string& provider,
                                    const std::string& username, const std::string& email) {
        auto r = upstream_login(b, provider);
        EXPECT_EQ(r.headers.get("Location").value_or(""), "/federation/continue");
        return b.submit("/federation/continue", "/federation/continue",
                        {{"action", "create"},
                         {"username", username},
                         {"email", email},
                         {"accept_terms", "1"}});
    }

    std::int64_t user_id_of(const std::string& username) {
        account::UserStore users{*db_};
        auto user = users.find_by_username(username);
        return user ? user->id : 0;
    }

    std::unique_ptr<Process> fakes_;
    int port_ = 0;
};

}  // namespace idpd::testing_support
