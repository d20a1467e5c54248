// The language a person reads keeps holding where the pages used to forget it: a failed sign-in
// answered in the language ui_locales chose, the links between the sign-in pages, the language
// switch over a ui_locales the RP sent, the /authorize refusal page and the 404 page (both in
// the layout, in the person's language, with their status and no script).
#include <string>

#include <gmock/gmock.h>

#include "integration/oidc/authorization_code_fixture.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

class PageLanguageTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        add_client("app", oidc::AccessTokenFormat::jwt);
    }

    // A styled page of ours in `lang`: the layout, its stylesheet, no script.
    static void expect_layout_in(const http::HttpResponse& r, std::string_view lang) {
        EXPECT_THAT(r.body, HasSubstr("<html lang=\"" + std::string(lang) + "\">"));
        EXPECT_THAT(r.body, HasSubstr("/static/css/idpd.css"));
        EXPECT_THAT(r.body, HasSubstr("class=\"lang-switch\""));
        EXPECT_THAT(r.body, Not(HasSubstr("<script")));
        EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
    }
};

TEST_F(PageLanguageTest, AFailedSignInAnswersInTheLanguageUiLocalesChose) {
    Browser b(*app_);
    b.accept_language = "zh-CN";
    auto form = b.get("/signin?return_to=%2Faccount&ui_locales=en");
    ASSERT_EQ(form.status, 200);
    EXPECT_EQ(Browser::input_value(form.body, "ui_locales"), "en");
    auto failed = b.post("/signin", {{"csrf", Browser::csrf_of(form.body)},
                                     {"identifier", "nobody"},
                                     {"password", "not the password"},
                                     {"return_to", "/account"},
                                     {"ui_locales", "en"}});
    EXPECT_EQ(failed.status, 401);
    expect_layout_in(failed, "en");
    EXPECT_THAT(failed.body, HasSubstr("Wrong username, email or password"));
    // The form, the sign-up and forgot-password links and the switch all keep the language.
    EXPECT_EQ(Browser::input_value(failed.body, "ui_locales"), "en");
    EXPECT_THAT(failed.body, HasSubstr("href=\"/signup?return_to=%2Faccount&amp;ui_locales=en\""));
    EXPECT_THAT(failed.body,
                HasSubstr("href=\"/forgot-password?return_to=%2Faccount&amp;ui_locales=en\""));
    EXPECT_EQ(Browser::input_value(failed.body, "return_to"), "/account");
    EXPECT_THAT(failed.body, HasSubstr("value=\"/signin?return_to=%2Faccount&amp;ui_locales=en\""));
}

TEST_F(PageLanguageTest, AnUnsupportedUiLocalesIsNotCarriedAlong) {
    Browser b(*app_);
    auto form = b.get("/signin?ui_locales=fr", "en");
    expect_layout_in(form, "en");  // Accept-Language decides
    EXPECT_THAT(form.body, Not(HasSubstr("name=\"ui_locales\"")));
    EXPECT_THAT(form.body, HasSubstr("href=\"/signup\""));
}

TEST_F(PageLanguageTest, TheSwitchReplacesUiLocalesDownToTheAuthorizationRequest) {
    Browser b(*app_);
    auto page = b.get("/signin?ui_locales=en");
    const std::string back_to_authorize = "/authorize?client_id=app&ui_locales=en";
    auto switched =
        b.post("/lang", {{"csrf", Browser::csrf_of(page.body)},
                         {"lang", "zh-CN"},
                         {"return_to", "/signin?return_to=" + http::url_encode(back_to_authorize) +
                                           "&ui_locales=en"}});
    ASSERT_EQ(switched.status, 303);
    EXPECT_EQ(switched.headers.get("Location"),
              "/signin?return_to=" + http::url_encode("/authorize?client_id=app&ui_locales=zh-CN") +
                  "&ui_locales=zh-CN");
    auto chinese = b.get(switched.headers.get("Location").value_or(""), "en");
    expect_layout_in(chinese, "zh-CN");
}

TEST_F(PageLanguageTest, AnUnknownClientIsRefusedOnAPageInTheLanguageUiLocalesChose) {
    Browser b(*app_);
    auto r = b.get(authorize_url("nobody", {{"ui_locales", "en"}}), "zh-CN");
    EXPECT_EQ(r.status, 400);
    expect_layout_in(r, "en");
    EXPECT_THAT(r.body, HasSubstr("This sign-in request cannot be completed"));
    EXPECT_THAT(r.body, HasSubstr("invalid_request: the client is not registered"));
    // No link sends the person to the RP; the language switch asks /authorize again.
    EXPECT_THAT(r.body, Not(HasSubstr("href=\"https://rp.example.com")));
    EXPECT_THAT(Browser::input_value(r.body, "return_to"),
                HasSubstr("/authorize?client_id=nobody"));
}

TEST_F(PageLanguageTest, AWrongRedirectUriIsRefusedInTheBrowsersLanguage) {
    Browser b(*app_);
    auto english =
        b.get(authorize_url("app", {{"redirect_uri", "https://evil.example/cb"}}), "en-GB,en");
    EXPECT_EQ(english.status, 400);
    expect_layout_in(english, "en");
    EXPECT_THAT(english.body, HasSubstr("invalid_request"));
    EXPECT_THAT(english.body, Not(HasSubstr("evil.example/cb\"")));

    Browser c(*app_);
    auto chinese = c.get(authorize_url("app", {{"redirect_uri", "https://evil.example/cb"}}));
    EXPECT_EQ(chinese.status, 400);
    expect_layout_in(chinese, "zh-CN");
    EXPECT_THAT(chinese.body, HasSubstr("无法完成此登录请求"));
}

TEST_F(PageLanguageTest, AnUnknownAddressGetsA404PageInTheVisitorsLanguage) {
    Browser b(*app_);
    auto english = b.get("/no/such/page", "en");
    EXPECT_EQ(english.status, 404);
    expect_layout_in(english, "en");
    EXPECT_THAT(english.body, HasSubstr("Page not found"));
    auto chinese = b.get("/no/such/page?ui_locales=zh-CN", "en");
    EXPECT_EQ(chinese.status, 404);
    expect_layout_in(chinese, "zh-CN");
    EXPECT_THAT(chinese.body, HasSubstr("页面不存在"));
    // An API client still gets JSON.
    auto api = get("/no/such/page");
    EXPECT_EQ(api.status, 404);
    EXPECT_THAT(api.body, HasSubstr("\"error\":\"not_found\""));
}

}  // namespace
}  // namespace idpd::testing_support
