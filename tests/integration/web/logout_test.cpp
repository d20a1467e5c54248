// RP-Initiated Logout 1.0 at /logout through the whole app: an RP holding this session's ID
// token signs the user out at once and gets them back (with its state) on a registered URI;
// anything else asks the user first; a request we cannot follow gets a page, never a redirect;
// and the session really ends, for every client.
#include <gmock/gmock.h>

#include "app/oidc_settings.h"
#include "integration/oidc/rp_fixture.h"
#include "oidc/token/id_token.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

constexpr std::string_view bye = "https://rp.example.com/bye";

class LogoutTest : public RpTest {
protected:
    void SetUp() override {
        RpTest::SetUp();
        add_client("app", "",
                   [](oidc::Client& c) { c.post_logout_redirect_uris = {std::string(bye)}; });
        add_client("other");
    }

    static std::string logout_url(const std::map<std::string, std::string>& params) {
        return "/logout?" + query(params);
    }

    // Whether `b` is still signed in, as an RP's prompt=none sees it.
    bool signed_in_for(Browser& b, const std::string& client_id) {
        auto r = b.get(authorize_url(client_id, {{"prompt", "none"}}));
        auto q = query_of(r.headers.get("Location").value_or(""));
        EXPECT_TRUE(q.contains("code") || q["error"] == "login_required") << r.body;
        return q.contains("code");
    }
};

TEST_F(LogoutTest, HintOfThisSessionSignsOutAtOnceForEveryClientAndRedirectsWithState) {
    Browser b = signed_up("alice");
    const std::string id_token = id_token_for(b, "app");
    id_token_for(b, "other");
    auto r = b.get(logout_url({{"id_token_hint", id_token},
                               {"post_logout_redirect_uri", std::string(bye)},
                               {"state", "s 1"}}));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location"), std::string(bye) + "?state=s%201");
    EXPECT_FALSE(b.cookies.contains("__Host-idpd_session"));
    // One browser session across clients: it ended for both.
    EXPECT_FALSE(signed_in_for(b, "app"));
    EXPECT_FALSE(signed_in_for(b, "other"));
    EXPECT_EQ(b.get("/account").status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL"), 0);
}

TEST_F(LogoutTest, WithoutAHintTheUserIsAskedWithACsrfProtectedForm) {
    Browser b = signed_up("bobby");
    auto page = b.get(logout_url({{"client_id", "app"},
                                  {"post_logout_redirect_uri", std::string(bye)},
                                  {"state", "s-2"},
                                  {"ui_locales", "en"}}));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_THAT(page.body, HasSubstr("Sign out of idpd?"));
    EXPECT_THAT(page.body, HasSubstr("App app asks to sign you out"));
    EXPECT_THAT(page.body, HasSubstr("action=\"/logout\""));
    EXPECT_TRUE(signed_in_for(b, "app"));

    std::map<std::string, std::string> fields{{"confirm", "1"}};
    for (const char* name : {"client_id", "post_logout_redirect_uri", "state", "ui_locales"}) {
        fields[name] = Browser::input_value(page.body, name);
    }
    // Another site can send the same POST, but not the token.
    EXPECT_EQ(b.post("/logout", fields).status, 403);
    EXPECT_EQ(b.post("/logout", fields, "https://evil.example").status, 403);
    // An RP's POST without our confirmation is only the question again.
    auto rp_post = b.post("/logout", {{"client_id", "app"}});
    EXPECT_EQ(rp_post.status, 200);
    EXPECT_THAT(rp_post.body, HasSubstr("name=\"confirm\""));
    EXPECT_TRUE(signed_in_for(b, "app"));

    fields["csrf"] = Browser::csrf_of(page.body);
    auto out = b.post("/logout", fields);
    ASSERT_EQ(out.status, 303) << out.body;
    EXPECT_EQ(out.headers.get("Location"), std::string(bye) + "?state=s-2");
    EXPECT_FALSE(signed_in_for(b, "app"));
}

TEST_F(LogoutTest, HintOfAnotherSessionAsksFirst) {
    Browser old_browser = signed_up("carol");
    const std::string old_token = id_token_for(old_browser, "app");
    Browser b = signed_in("carol");
    auto r = b.get(logout_url({{"id_token_hint", old_token}}));
    EXPECT_EQ(r.status, 200);
    EXPECT_THAT(r.body, HasSubstr("Sign out of idpd?"));
    EXPECT_TRUE(signed_in_for(b, "app"));
}

TEST_F(LogoutTest, AnExpiredHintStillNamesTheClientAndTheSession) {
    Browser b = signed_up("dave");
    const auto live = verified_claims(id_token_for(b, "app"), jose::TokenType::jwt, "app");
    auto master = jose::load_master_key(app::master_key_options(config_));
    ASSERT_TRUE(master);
    jose::KeyStore keys(*db_, *master, app::key_store_options(config_),
                        std::chrono::system_clock::now);
    auto client = oidc::ClientStore(*db_).find("app");
    ASSERT_TRUE(client);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    oidc::IdTokenClaims claims{live["sub"].get<std::string>(),
                               live["auth_time"].get<std::int64_t>(),
                               std::nullopt,
                               live["sid"].get<std::string>(),
                               "pwd",
                               "access"};
    auto expired = oidc::sign_id_token(keys, std::string(origin), *client, claims, now - 7200, 600);
    ASSERT_TRUE(expired);
    auto r = b.get(
        logout_url({{"id_token_hint", *expired}, {"post_logout_redirect_uri", std::string(bye)}}));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location"), std::string(bye));
    EXPECT_FALSE(signed_in_for(b, "app"));
}

TEST_F(LogoutTest, RequestsWeCannotFollowGetAPageNeverARedirect) {
    Browser b = signed_up("erin");
    const std::string id_token = id_token_for(b, "app");
    std::string forged = id_token;
    char& in_signature = forged[forged.size() - 10];
    in_signature = in_signature == 'A' ? 'B' : 'A';
    const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases{
        {{{"client_id", "app"}, {"post_logout_redirect_uri", "https://evil.example/bye"}},
         "not registered for this client"},
        {{{"client_id", "app"}, {"post_logout_redirect_uri", std::string(bye) + "/"}},
         "not registered for this client"},
        {{{"client_id", "other"}, {"post_logout_redirect_uri", std::string(bye)}},
         "not registered for this client"},
        {{{"post_logout_redirect_uri", std::string(bye)}}, "needs client_id or id_token_hint"},
        {{{"id_token_hint", forged}, {"post_logout_redirect_uri", std::string(bye)}},
         "not an ID token from this server"},
        {{{"id_token_hint", "garbage"}}, "not an ID token from this server"},
        {{{"id_token_hint", id_token}, {"client_id", "other"}}, "not the client"},
        {{{"client_id", "nobody"}}, "not registered"},
    };
    for (const auto& [params, reason] : cases) {
        auto r = b.get(logout_url(params));
        EXPECT_EQ(r.status, 400) << query(params);
        EXPECT_FALSE(r.headers.get("Location")) << query(params);
        EXPECT_THAT(r.body, HasSubstr("Sign-out request refused")) << query(params);
        EXPECT_THAT(r.body, HasSubstr(reason)) << query(params);
    }
    auto repeated = b.get(logout_url({{"client_id", "app"}}) + "&client_id=app");
    EXPECT_EQ(repeated.status, 400);
    EXPECT_TRUE(signed_in_for(b, "app"));
}

TEST_F(LogoutTest, WithoutASessionTheBrowserIsToldOrSentBack) {
    Browser b(*app_);
    auto page = b.get("/logout");
    EXPECT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("您已退出登录"));  // zh-CN by default
    auto english = b.get(logout_url({{"ui_locales", "en"}}));
    EXPECT_THAT(english.body, HasSubstr("You are signed out"));
    auto back = b.get(logout_url(
        {{"client_id", "app"}, {"post_logout_redirect_uri", std::string(bye)}, {"state", "x"}}));
    EXPECT_EQ(back.status, 303);
    EXPECT_EQ(back.headers.get("Location"), std::string(bye) + "?state=x");
}

TEST_F(LogoutTest, DiscoveryNamesTheEndSessionEndpointAndBackChannelSupport) {
    auto doc = json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_EQ(doc["end_session_endpoint"], std::string(origin) + "/logout");
    EXPECT_EQ(doc["backchannel_logout_supported"], true);
    EXPECT_EQ(doc["backchannel_logout_session_supported"], true);
    EXPECT_FALSE(doc.contains("frontchannel_logout_supported"));
}

}  // namespace
}  // namespace idpd::testing_support
