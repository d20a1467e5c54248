// The pages through the whole app in-process: sign-up, sign-in (username, verified email),
// sign-out, the account page and its sessions, CSRF and Origin checks, safe return-to targets,
// languages, cookie attributes, and bad input leaving the database unchanged.
#include <map>
#include <string>
#include <thread>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "auth/password_hasher.h"
#include "http/errors.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

constexpr std::string_view good_password = "correct horse battery";

std::vector<std::string> set_cookies(const http::HttpResponse& r) {
    std::vector<std::string> out;
    for (const auto& [name, value] : r.headers.fields()) {
        if (name == "Set-Cookie") {
            out.push_back(value);
        }
    }
    return out;
}

std::string session_set_cookie(const http::HttpResponse& r) {
    for (const auto& c : set_cookies(r)) {
        if (c.starts_with("__Host-idpd_session=")) {
            return c;
        }
    }
    return {};
}

class WebTest : public AppTest {
protected:
    std::map<std::string, std::string> signup_fields(const std::string& username,
                                                     const std::string& email) {
        return {{"username", username},
                {"email", email},
                {"password", std::string(good_password)},
                {"confirm", std::string(good_password)},
                {"accept_terms", "1"}};
    }

    // Signs `name` up in a fresh browser and returns it signed in.
    Browser signed_up(const std::string& name, const std::string& email) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup", signup_fields(name, email));
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    std::int64_t count(const std::string& table) {
        auto rows = db_->query("SELECT COUNT(*) FROM " + table, {});
        EXPECT_TRUE(rows);
        return rows ? rows->front().integer(0) : -1;
    }

    account::User user_named(const std::string& name) {
        account::UserStore users{*db_};
        auto user = users.find_by_username(name);
        EXPECT_TRUE(user);
        return user.value_or(account::User{});
    }
};

TEST_F(WebTest, SignUpSignsInAndTheAccountPageShowsTheUser) {
    Browser b(*app_);
    auto form = b.get("/signup");
    ASSERT_EQ(form.status, 200);
    EXPECT_THAT(form.body, HasSubstr("注册账号"));
    auto fields = signup_fields("云用户_01", "me@example.com");
    fields["csrf"] = Browser::csrf_of(form.body);
    fields.merge(b.captcha_of(form.body));
    auto done = b.post("/signup", fields);
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(done.headers.get("Location"), "/account");
    EXPECT_THAT(session_set_cookie(done), HasSubstr("; HttpOnly; Secure; SameSite=Lax"));

    auto account = b.get("/account");
    ASSERT_EQ(account.status, 200) << account.body;
    const auto user = user_named("云用户_01");
    EXPECT_THAT(account.body, HasSubstr("云用户_01"));
    EXPECT_THAT(account.body, HasSubstr(">" + std::to_string(user.id) + "<"));
    EXPECT_EQ(account.headers.get("Cache-Control"), "no-store");
    // The account center's other tabs: the address, and this device among the sessions.
    auto emails = b.get("/account/emails");
    EXPECT_THAT(emails.body, HasSubstr("me@example.com"));
    EXPECT_THAT(emails.body, HasSubstr("未验证"));
    auto security = b.get("/account/security");
    EXPECT_THAT(security.body, HasSubstr("Chrome，Linux"));
    EXPECT_THAT(security.body, HasSubstr("198.51.100.9"));
    EXPECT_THAT(security.body, HasSubstr("当前设备"));
    // The stored hash is Argon2id, never the password.
    ASSERT_TRUE(user.password_hash);
    EXPECT_TRUE(user.password_hash->starts_with("$argon2id$"));
}

TEST_F(WebTest, SignedInVisitorsOfSignInGoToTheirAccount) {
    Browser b = signed_up("alice", "alice@example.com");
    auto r = b.get("/signin");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/account");
    EXPECT_EQ(b.get("/").headers.get("Location"), "/account");
}

TEST_F(WebTest, SignOutEndsTheSession) {
    Browser b = signed_up("alice", "alice@example.com");
    const std::string token = b.cookies["__Host-idpd_session"];
    auto account = b.get("/account");
    auto out = b.post("/signout", {{"csrf", Browser::csrf_of(account.body)}});
    ASSERT_EQ(out.status, 303);
    EXPECT_EQ(out.headers.get("Location"), "/signin?signed_out=1");
    EXPECT_THAT(session_set_cookie(out), HasSubstr("Max-Age=0"));
    EXPECT_EQ(b.cookies.count("__Host-idpd_session"), 0u);
    // The old cookie no longer signs anyone in, even if a browser kept it.
    b.cookies["__Host-idpd_session"] = token;
    auto again = b.get("/account");
    EXPECT_EQ(again.status, 303);
    EXPECT_EQ(again.headers.get("Location"), "/signin?return_to=%2Faccount");
    EXPECT_THAT(b.get("/signin?signed_out=1").body, HasSubstr("您已退出登录"));
}

TEST_F(WebTest, SignInByUsernameAndByVerifiedEmail) {
    { Browser b = signed_up("Alice", "alice@example.com"); }
    Browser b(*app_);
    auto by_name = b.submit("/signin", "/signin",
                            {{"identifier", "ALICE"}, {"password", std::string(good_password)}});
    ASSERT_EQ(by_name.status, 303) << by_name.body;
    EXPECT_EQ(by_name.headers.get("Location"), "/account");
    const std::string first = b.cookies["__Host-idpd_session"];
    EXPECT_EQ(first.size(), 64u);

    // Not verified yet: the address does not sign in.
    Browser c(*app_);
    auto unverified =
        c.submit("/signin", "/signin",
                 {{"identifier", "alice@example.com"}, {"password", std::string(good_password)}});
    EXPECT_EQ(unverified.status, 401);
    account::UserStore users{*db_};
    ASSERT_TRUE(users.mark_email_verified(
        user_named("Alice").id, *account::parse_email_address("alice@example.com"),
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
    auto by_email =
        c.submit("/signin", "/signin",
                 {{"identifier", "Alice@Example.com"}, {"password", std::string(good_password)}});
    ASSERT_EQ(by_email.status, 303) << by_email.body;
    EXPECT_NE(c.cookies["__Host-idpd_session"], first);
    EXPECT_THAT(c.get("/account/emails").body, HasSubstr("已验证"));
}

TEST_F(WebTest, SignInRotatesTheSessionId) {
    Browser b = signed_up("alice", "alice@example.com");
    const std::string before = b.cookies["__Host-idpd_session"];
    // Signing in again from the same browser (e.g. a form left open in another tab).
    auto r = b.post("/signin", {{"identifier", "alice"},
                                {"password", std::string(good_password)},
                                {"csrf", Browser::csrf_of(b.get("/account").body)}});
    ASSERT_EQ(r.status, 303);
    EXPECT_NE(b.cookies["__Host-idpd_session"], before);
    b.cookies["__Host-idpd_session"] = before;
    EXPECT_EQ(b.get("/account").status, 303);  // the old id is dead
}

TEST_F(WebTest, WrongPasswordUnknownUserAndDisabledAccountGiveTheSamePage) {
    {
        Browser b = signed_up("alice", "alice@example.com");
        Browser d = signed_up("dora", "dora@example.com");
    }
    account::UserStore users{*db_};
    ASSERT_TRUE(users.set_status(
        user_named("dora").id, account::UserStatus::disabled,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
    Browser b(*app_);
    const std::string csrf = Browser::csrf_of(b.get("/signin").body);
    auto attempt = [&](const std::string& who, std::string_view password) {
        return b.post("/signin",
                      {{"identifier", who}, {"password", std::string(password)}, {"csrf", csrf}});
    };
    auto wrong = attempt("alice", "not the password");
    auto unknown = attempt("nobody", "not the password");
    auto disabled = attempt("dora", good_password);
    for (const auto* r : {&wrong, &unknown, &disabled}) {
        EXPECT_EQ(r->status, 401);
        EXPECT_THAT(r->body, HasSubstr("用户名/邮箱或密码错误"));
        EXPECT_EQ(session_set_cookie(*r), "");
    }
    auto without_name = [](std::string body, const std::string& name) {
        auto at = body.find("value=\"" + name + "\"");
        if (at != std::string::npos) {
            body.replace(at, name.size() + 8, "value=\"\"");
        }
        return body;
    };
    EXPECT_EQ(without_name(wrong.body, "alice"), without_name(unknown.body, "nobody"));
    EXPECT_EQ(without_name(wrong.body, "alice"), without_name(disabled.body, "dora"));
    EXPECT_EQ(count("sessions"), 2);  // only the two sign-ups'
}

TEST_F(WebTest, OutdatedHashIsUpgradedAtSignIn) {
    auto weak = auth::PasswordHasher::create({1024, 1, 1}, auth::system_random());
    ASSERT_TRUE(weak);
    account::UserStore users{*db_};
    auto name = account::check_username("oldtimer");
    ASSERT_TRUE(users.create(
        {*name, "oldtimer", *weak->hash(good_password)},
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
    Browser b(*app_);
    auto r = b.submit("/signin", "/signin",
                      {{"identifier", "oldtimer"}, {"password", std::string(good_password)}});
    ASSERT_EQ(r.status, 303);
    EXPECT_THAT(*user_named("oldtimer").password_hash, HasSubstr("m=19456,t=2,p=1"));
}

TEST_F(WebTest, MissingOrWrongCsrfTokenIsRefusedAndWritesNothing) {
    Browser b(*app_);
    b.get("/signup");  // has a form cookie, but sends no or a wrong token
    auto missing = b.post("/signup", signup_fields("alice", "alice@example.com"));
    EXPECT_EQ(missing.status, 403);
    EXPECT_THAT(missing.body, HasSubstr("页面已过期"));
    auto fields = signup_fields("alice", "alice@example.com");
    fields["csrf"] = std::string(64, '0');
    EXPECT_EQ(b.post("/signup", fields).status, 403);
    // A token from another browser does not fit this browser's cookie.
    Browser other(*app_);
    fields["csrf"] = Browser::csrf_of(other.get("/signup").body);
    EXPECT_EQ(b.post("/signup", fields).status, 403);
    // No cookie at all.
    Browser fresh(*app_);
    EXPECT_EQ(fresh.post("/signup", fields).status, 403);
    EXPECT_EQ(count("users"), 0);
    EXPECT_EQ(count("sessions"), 0);
}

TEST_F(WebTest, CrossOriginPostIsRefusedEvenWithTheToken) {
    Browser b(*app_);
    const auto form = b.get("/signup");
    auto fields = signup_fields("alice", "alice@example.com");
    fields["csrf"] = Browser::csrf_of(form.body);
    fields.merge(b.captcha_of(form.body));
    EXPECT_EQ(b.post("/signup", fields, "https://evil.example").status, 403);
    EXPECT_EQ(b.post("/signup", fields, "null").status, 403);
    EXPECT_EQ(count("users"), 0);
    EXPECT_EQ(b.post("/signup", fields).status, 303);
}

TEST_F(WebTest, AccountFormsNeedTheSessionsToken) {
    Browser b = signed_up("alice", "alice@example.com");
    EXPECT_EQ(b.post("/signout", {{"csrf", "x"}}).status, 403);
    EXPECT_EQ(b.get("/account").status, 200);  // still signed in
}

TEST_F(WebTest, NoStateChangeOnGet) {
    Browser b = signed_up("alice", "alice@example.com");
    EXPECT_EQ(b.get("/signout").status, 405);
    EXPECT_EQ(b.get("/account").status, 200);
}

TEST_F(WebTest, OpenRedirectsAreRefused) {
    int n = 0;
    for (std::string target : {"//evil.example", "/\\evil.example", "https://evil.example/x",
                               "javascript:alert(1)", "/\t/evil.example"}) {
        Browser b(*app_);
        auto page = b.get("/signin?return_to=" + http::url_encode(target));
        // The form does not carry it on (the language switch keeps this page's own URL).
        EXPECT_THAT(page.body, HasSubstr("<input type=\"hidden\" name=\"return_to\" value=\"\">\n"))
            << target;
        EXPECT_THAT(page.body, HasSubstr("href=\"/signup\""));
        auto fields = signup_fields("user" + std::to_string(++n), "x@example.com");
        fields["csrf"] = Browser::csrf_of(page.body);
        fields["return_to"] = target;
        fields.merge(b.captcha_of(b.get("/signup").body));
        auto r = b.post("/signup", fields);
        ASSERT_EQ(r.status, 303) << r.body;
        EXPECT_EQ(r.headers.get("Location"), "/account") << target;
        auto out = b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)},
                                       {"return_to", target}});
        EXPECT_EQ(out.headers.get("Location"), "/signin?signed_out=1") << target;
    }
}

TEST_F(WebTest, SameHostReturnToIsFollowed) {
    { Browser b = signed_up("alice", "alice@example.com"); }
    Browser b(*app_);
    auto page = b.get("/signin?return_to=%2Fauthorize%3Fclient_id%3Ddemo");
    EXPECT_THAT(page.body, HasSubstr("value=\"/authorize?client_id=demo\""));
    EXPECT_THAT(page.body, HasSubstr("/signup?return_to=%2Fauthorize%3Fclient_id%3Ddemo"));
    auto r = b.post("/signin", {{"identifier", "alice"},
                                {"password", std::string(good_password)},
                                {"return_to", "/authorize?client_id=demo"},
                                {"csrf", Browser::csrf_of(page.body)}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/authorize?client_id=demo");
}

TEST_F(WebTest, ChineseByDefaultEnglishByAcceptLanguageOrUiLocales) {
    Browser b(*app_);
    auto zh = b.get("/signin");
    EXPECT_THAT(zh.body, HasSubstr("<html lang=\"zh-CN\">"));
    EXPECT_THAT(zh.body, HasSubstr("登录账号"));
    auto en = b.get("/signin", "en-US,en;q=0.9");
    EXPECT_THAT(en.body, HasSubstr("<html lang=\"en\">"));
    EXPECT_THAT(en.body, HasSubstr("Sign in to your account"));
    EXPECT_THAT(b.get("/signin?ui_locales=en", "zh-CN").body, HasSubstr("<html lang=\"en\">"));
    EXPECT_THAT(b.get("/signin?ui_locales=zh-CN", "en").body, HasSubstr("<html lang=\"zh-CN\">"));
}

TEST_F(WebTest, LanguageSwitchIsRemembered) {
    Browser b(*app_);
    const std::string csrf = Browser::csrf_of(b.get("/signup").body);
    auto r = b.post("/lang", {{"lang", "en"}, {"return_to", "/signup"}, {"csrf", csrf}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/signup");
    EXPECT_EQ(b.cookies["__Host-idpd_lang"], "en");
    EXPECT_THAT(b.get("/signup", "zh-CN").body, HasSubstr("Create your account"));
    // ui_locales still wins for one page.
    EXPECT_THAT(b.get("/signup?ui_locales=zh").body, HasSubstr("注册账号"));
    // The switch needs the token too, and refuses off-host targets.
    EXPECT_EQ(b.post("/lang", {{"lang", "zh-CN"}}).status, 403);
    auto evil = b.post("/lang", {{"lang", "zh-CN"}, {"return_to", "//evil"}, {"csrf", csrf}});
    EXPECT_EQ(evil.headers.get("Location"), "/signin");
}

TEST_F(WebTest, SessionCookieAttributes) {
    Browser b = signed_up("alice", "alice@example.com");
    auto out = b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}});
    // Without "keep me signed in": a browser-session cookie.
    auto r = b.submit("/signin", "/signin",
                      {{"identifier", "alice"}, {"password", std::string(good_password)}});
    const std::string plain = session_set_cookie(r);
    EXPECT_TRUE(plain.starts_with("__Host-idpd_session=")) << plain;
    EXPECT_THAT(plain, HasSubstr("; Path=/; HttpOnly; Secure; SameSite=Lax"));
    EXPECT_THAT(plain, Not(HasSubstr("Max-Age")));
    EXPECT_THAT(plain, Not(HasSubstr("Domain")));
    // With it: persistent for the absolute lifetime (30 days).
    b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}});
    auto kept = b.submit(
        "/signin", "/signin",
        {{"identifier", "alice"}, {"password", std::string(good_password)}, {"remember", "1"}});
    EXPECT_THAT(session_set_cookie(kept), HasSubstr("; Max-Age=2592000; HttpOnly; Secure"));
    // The pre-session form cookie is short-lived and cleared at sign-in.
    bool cleared = false;
    for (const auto& c : set_cookies(kept)) {
        cleared |= c.starts_with("__Host-idpd_form=;") && c.find("Max-Age=0") != std::string::npos;
    }
    EXPECT_TRUE(cleared);
    EXPECT_THAT(set_cookies(Browser(*app_).get("/signin"))[0],
                HasSubstr("Max-Age=7200; HttpOnly; Secure; SameSite=Lax"));
}

TEST_F(WebTest, PlainHttpCookiesForDevelopment) {
    config_.web.plain_http_cookies = true;
    start_app();
    Browser b(*app_);
    auto r = b.submit("/signup", "/signup", signup_fields("alice", "alice@example.com"));
    ASSERT_EQ(r.status, 303);
    bool found = false;
    for (const auto& c : set_cookies(r)) {
        if (c.starts_with("idpd_session=")) {
            found = true;
            EXPECT_THAT(c, Not(HasSubstr("Secure")));
            EXPECT_THAT(c, HasSubstr("HttpOnly"));
        }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(b.get("/account").status, 200);
}

TEST_F(WebTest, EveryBrokenSignUpRuleIsNamedInTheUsersLanguage) {
    Browser b(*app_);
    b.accept_language = "en";
    auto r = b.post("/signup", {{"username", "123"},
                                {"email", "not-an-email"},
                                {"password", "password"},
                                {"confirm", "different"},
                                {"csrf", Browser::csrf_of(b.get("/signup").body)}});
    EXPECT_EQ(r.status, 400);
    for (const char* message :
         {"A username needs at least 4 characters", "A username cannot be digits only",
          "Enter a valid email address", "common password", "Please read and accept the terms"}) {
        EXPECT_THAT(r.body, HasSubstr(message));
    }
    EXPECT_THAT(r.body, HasSubstr("aria-invalid=\"true\""));
    EXPECT_THAT(r.body, Not(HasSubstr("value=\"password\"")));  // passwords are never echoed
    EXPECT_EQ(count("users"), 0);

    Browser zh(*app_);
    auto zr = zh.submit("/signup", "/signup",
                        {{"username", "ab"},
                         {"email", "a@example.com"},
                         {"password", "short"},
                         {"confirm", "short"},
                         {"accept_terms", "1"}});
    EXPECT_THAT(zr.body, HasSubstr("用户名至少需要 4 个字符"));
    EXPECT_THAT(zr.body, HasSubstr("密码至少需要 8 个字符"));
}

TEST_F(WebTest, PasswordMayNotContainTheUsernameAndMustBeConfirmed) {
    Browser b(*app_);
    auto fields = signup_fields("alice", "alice@example.com");
    fields["password"] = fields["confirm"] = "my alice secret";
    auto r = b.submit("/signup", "/signup", fields);
    EXPECT_THAT(r.body, HasSubstr("密码不能与用户名相同"));
    // The keyboard starts in the first field with a problem.
    EXPECT_THAT(r.body, HasSubstr("autocomplete=\"new-password\" autofocus"));
    EXPECT_THAT(r.body, Not(HasSubstr("autocomplete=\"username\" autofocus")));
    fields = signup_fields("alice", "alice@example.com");
    fields["confirm"] = "something else entirely";
    EXPECT_THAT(b.submit("/signup", "/signup", fields).body, HasSubstr("两次输入的密码不一致"));
    EXPECT_EQ(count("users"), 0);
}

TEST_F(WebTest, TakenUsernameIgnoringCase) {
    { Browser b = signed_up("Alice", "alice@example.com"); }
    Browser b(*app_);
    auto r = b.submit("/signup", "/signup", signup_fields("alice", "other@example.com"));
    EXPECT_EQ(r.status, 409);
    EXPECT_THAT(r.body, HasSubstr("该用户名已被注册"));
    EXPECT_THAT(r.body, HasSubstr("value=\"alice\""));
    EXPECT_EQ(count("users"), 1);
    EXPECT_EQ(count("user_emails"), 1);
}

TEST_F(WebTest, RacingSignUpsOneWins) {
    Browser a(*app_);
    Browser b(*app_);
    auto fa = signup_fields("racer", "a@example.com");
    const auto form_a = a.get("/signup");
    fa["csrf"] = Browser::csrf_of(form_a.body);
    fa.merge(a.captcha_of(form_a.body));
    auto fb = signup_fields("RACER", "b@example.com");
    const auto form_b = b.get("/signup");
    fb["csrf"] = Browser::csrf_of(form_b.body);
    fb.merge(b.captcha_of(form_b.body));
    http::HttpResponse ra, rb;
    std::thread ta([&] { ra = a.post("/signup", fa); });
    std::thread tb([&] { rb = b.post("/signup", fb); });
    ta.join();
    tb.join();
    std::multiset<int> statuses{ra.status, rb.status};
    EXPECT_EQ(statuses, (std::multiset<int>{303, 409}));
    const auto& loser = ra.status == 409 ? ra : rb;
    EXPECT_THAT(loser.body, HasSubstr("该用户名已被注册"));
    EXPECT_EQ(count("users"), 1);
    EXPECT_EQ(count("user_emails"), 1);
}

TEST_F(WebTest, BadInputGetsAMessageAndChangesNothing) {
    struct Case {
        std::string field, value, message;
    };

    const std::vector<Case> cases{
        {"username", std::string(200, 'a'), "内容过长"},
        {"username",
         "ali\xff"
         "ce",
         "无法识别的字符编码"},
        {"username",
         "ali\x01"
         "ce",
         "控制字符"},
        {"username", "<script>x</script>", "不能包含“<”或“>”"},
        {"email", "<img src=x>@example.com", "不能包含“<”或“>”"},
        {"email", "a\r\nBcc: x@example.com", "控制字符"},
        {"email", std::string(300, 'a') + "@example.com", "内容过长"},
        {"password", std::string(2000, 'p'), "内容过长"},
        {"password",
         "abc\xc3\x28"
         "defghij",
         "无法识别的字符编码"},
    };
    for (const auto& c : cases) {
        Browser b(*app_);
        auto fields = signup_fields("alice", "alice@example.com");
        fields[c.field] = c.value;
        if (c.field == "password") {
            fields["confirm"] = c.value;
        }
        auto r = b.submit("/signup", "/signup", fields);
        EXPECT_EQ(r.status, 400) << c.field;
        EXPECT_THAT(r.body, HasSubstr(http::html_escape(c.message))) << c.field;
        EXPECT_THAT(r.body, Not(HasSubstr("<script>x"))) << c.field;
        EXPECT_THAT(r.body, Not(HasSubstr("<img src"))) << c.field;
    }
    Browser s(*app_);
    auto r = s.submit("/signin", "/signin",
                      {{"identifier", "<b>alice</b>"}, {"password", "whatever123"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_THAT(r.body, HasSubstr("不能包含“&lt;”或“&gt;”"));
    EXPECT_EQ(count("users"), 0);
    EXPECT_EQ(count("sessions"), 0);
}

TEST_F(WebTest, TheAccountPageListsSessionsAndRevokesOne) {
    Browser laptop = signed_up("alice", "alice@example.com");
    Browser phone(*app_);
    phone.user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1";
    ASSERT_EQ(phone
                  .submit("/signin", "/signin",
                          {{"identifier", "alice"}, {"password", std::string(good_password)}})
                  .status,
              303);
    auto page = laptop.get("/account/security", "en");
    EXPECT_THAT(page.body, HasSubstr("Safari on iOS"));
    EXPECT_THAT(page.body, HasSubstr("Chrome on Linux"));
    // Revoke the phone's session from the laptop.
    auto rows = db_->query("SELECT id FROM sessions ORDER BY id DESC", {});
    ASSERT_TRUE(rows);
    const std::string phone_id = std::to_string(rows->front().integer(0));
    EXPECT_THAT(page.body, HasSubstr("/account/sessions/" + phone_id + "/revoke"));
    auto r = laptop.post("/account/sessions/" + phone_id + "/revoke",
                         {{"csrf", Browser::csrf_of(page.body)}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/account/security");
    EXPECT_EQ(phone.get("/account").status, 303);
    EXPECT_EQ(laptop.get("/account").status, 200);
    EXPECT_THAT(laptop.get("/account/security", "en").body, Not(HasSubstr("Safari on iOS")));

    // Another user cannot end alice's session by its id.
    Browser mallory = signed_up("mallory", "m@example.com");
    const std::string laptop_id = std::to_string(rows->back().integer(0));
    auto theirs = mallory.post("/account/sessions/" + laptop_id + "/revoke",
                               {{"csrf", Browser::csrf_of(mallory.get("/account").body)}});
    EXPECT_EQ(theirs.status, 303);
    EXPECT_EQ(laptop.get("/account").status, 200);
}

TEST_F(WebTest, TermsPageShowsTheConfiguredText) {
    Browser b(*app_);
    EXPECT_THAT(b.get("/terms").body, HasSubstr("尚未发布服务条款"));
    config_.web.terms_text = "First <b>rule</b>.\n\nSecond rule.";
    start_app();
    Browser c(*app_);
    auto page = c.get("/terms");
    EXPECT_THAT(page.body, HasSubstr("<p>First &lt;b&gt;rule&lt;/b&gt;.</p>"));
    EXPECT_THAT(page.body, HasSubstr("<p>Second rule.</p>"));
}

}  // namespace
}  // namespace idpd::testing_support
