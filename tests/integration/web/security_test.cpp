// Sign-in throttling, the audit log and the sign-up captcha through the whole app: the 31st
// wrong attempt is refused even with the right password until the wait ends, a throttled
// address gets a 429 page in the user's language, every flow writes its audit event, and the
// captcha refuses wrong, reused and expired answers while keeping what was typed.
#include <string>

#include <gmock/gmock.h>

#include "audit/audit_log.h"
#include "http/errors.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::HasSubstr;
using testing::Not;

constexpr std::string_view good_password = "correct horse battery";

class SecurityTest : public AppTest {
protected:
    std::map<std::string, std::string> signup_fields(const std::string& username) {
        return {{"username", username},
                {"email", username + "@example.com"},
                {"password", std::string(good_password)},
                {"confirm", std::string(good_password)},
                {"accept_terms", "1"}};
    }

    void sign_up(const std::string& name) {
        Browser b(*app_);
        ASSERT_EQ(b.submit("/signup", "/signup", signup_fields(name)).status, 303);
    }

    http::HttpResponse sign_in(Browser& b, const std::string& csrf, const std::string& who,
                               std::string_view password) {
        return b.post("/signin",
                      {{"identifier", who}, {"password", std::string(password)}, {"csrf", csrf}});
    }

    std::vector<audit::Record> events(std::optional<std::string> type = std::nullopt) {
        auto rows = audit::tail(*db_, {1000, std::nullopt, std::move(type)});
        EXPECT_TRUE(rows);
        return rows.value_or(std::vector<audit::Record>{});
    }

    std::int64_t count(const std::string& table) {
        auto rows = db_->query("SELECT COUNT(*) FROM " + table, {});
        EXPECT_TRUE(rows);
        return rows ? rows->front().integer(0) : -1;
    }

    static std::string captcha_id(const std::string& html) {
        return Browser::input_value(html, "captcha_id");
    }
};

TEST_F(SecurityTest, TheThirtyFirstAttemptIsRefusedEvenWithTheRightPasswordUntilTheWaitEnds) {
    sign_up("alice");
    Browser b(*app_);
    const std::string csrf = Browser::csrf_of(b.get("/signin").body);
    http::HttpResponse wrong;
    for (int i = 0; i < 30; ++i) {
        advance(seconds(5));  // slower than the quick-login check
        wrong = sign_in(b, csrf, i % 2 == 0 ? "ALICE" : "alice", "not the password");
        ASSERT_EQ(wrong.status, 401) << i;
    }
    advance(seconds(5));
    auto refused = sign_in(b, csrf, "alice", good_password);
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.body, wrong.body);  // the same page as a wrong password
    EXPECT_EQ(b.cookies.count("__Host-idpd_session"), 0u);
    EXPECT_EQ(events("sign_in.throttled").size(), 1u);
    EXPECT_EQ(events("sign_in.failure").size(), 30u);

    advance(seconds(56));  // the minute after the 30th failure is over
    auto let_in = sign_in(b, csrf, "alice", good_password);
    ASSERT_EQ(let_in.status, 303) << let_in.body;
    // Success cleared the count: the next failure starts from one again.
    Browser c(*app_);
    const std::string csrf_c = Browser::csrf_of(c.get("/signin").body);
    advance(seconds(5));
    EXPECT_EQ(sign_in(c, csrf_c, "alice", "not the password").status, 401);
    advance(seconds(5));
    EXPECT_EQ(sign_in(c, csrf_c, "alice", good_password).status, 303);
}

TEST_F(SecurityTest, UnknownNamesAreThrottledLikeKnownOnes) {
    sign_up("alice");
    Browser b(*app_);
    const std::string csrf = Browser::csrf_of(b.get("/signin").body);
    // Two failures within a second: the next minute is refused for both names.
    for (const std::string who : {"alice", "nobody"}) {
        EXPECT_EQ(sign_in(b, csrf, who, "wrong one").status, 401);
        EXPECT_EQ(sign_in(b, csrf, who, "wrong two").status, 401);
    }
    auto known = sign_in(b, csrf, "alice", good_password);
    auto unknown = sign_in(b, csrf, "nobody", good_password);
    EXPECT_EQ(known.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_THAT(known.body, HasSubstr("用户名/邮箱或密码错误"));
    EXPECT_THAT(unknown.body, HasSubstr("用户名/邮箱或密码错误"));
    EXPECT_EQ(events("sign_in.throttled").size(), 2u);
    advance(seconds(61));
    EXPECT_EQ(sign_in(b, csrf, "alice", good_password).status, 303);
}

TEST_F(SecurityTest, AThrottledAddressGetsA429PageInItsLanguage) {
    config_.throttle.ip_failure_factor = 3;
    start_app();
    Browser b(*app_);
    b.accept_language = "en";
    const std::string csrf = Browser::csrf_of(b.get("/signin").body);
    for (const std::string who : {"ann", "ben", "cat"}) {
        advance(seconds(5));
        EXPECT_EQ(sign_in(b, csrf, who, "guess").status, 401);
    }
    auto r = sign_in(b, csrf, "dan", "guess");
    EXPECT_EQ(r.status, 429);
    EXPECT_THAT(r.body, HasSubstr("Try again in 1 min."));
    EXPECT_EQ(r.headers.get("Retry-After"), "60");
    auto throttled = events("sign_in.throttled");
    ASSERT_EQ(throttled.size(), 1u);
    EXPECT_THAT(throttled.front().detail, HasSubstr("\"scope\":\"ip\""));

    Browser zh(*app_);
    auto page = sign_in(zh, Browser::csrf_of(zh.get("/signin").body), "eve", "guess");
    EXPECT_EQ(page.status, 429);
    EXPECT_THAT(page.body, HasSubstr("请 1 分钟后再试"));
    advance(seconds(61));
    EXPECT_EQ(sign_in(zh, Browser::csrf_of(zh.get("/signin").body), "eve", "guess").status, 401);
}

TEST_F(SecurityTest, EveryFlowWritesItsAuditEvent) {
    sign_up("alice");
    Browser b(*app_);
    const std::string csrf = Browser::csrf_of(b.get("/signin").body);
    advance(seconds(5));
    EXPECT_EQ(sign_in(b, csrf, "Alice", "secret guess 1").status, 401);
    advance(seconds(5));
    ASSERT_EQ(sign_in(b, csrf, "alice", good_password).status, 303);
    auto account = b.get("/account/security");
    const std::string revoke = "/account/sessions/";
    Browser other(*app_);
    ASSERT_EQ(other
                  .submit("/signin", "/signin",
                          {{"identifier", "alice"}, {"password", std::string(good_password)}})
                  .status,
              303);
    auto other_account = other.get("/account/security");
    auto other_at = other_account.body.find(revoke);
    const std::string other_path =
        other_account.body.substr(other_at, other_account.body.find('"', other_at) - other_at);
    ASSERT_EQ(b.post(other_path, {{"csrf", Browser::csrf_of(account.body)}}).status, 303);
    ASSERT_EQ(b.post("/signout", {{"csrf", Browser::csrf_of(b.get("/account").body)}}).status, 303);

    std::vector<std::string> types;
    for (const auto& e : events()) {
        types.push_back(e.type);
        EXPECT_EQ(e.ip, "198.51.100.9");
        EXPECT_THAT(e.user_agent, HasSubstr("Chrome"));
        EXPECT_THAT(e.detail, Not(HasSubstr("secret guess")));
    }
    EXPECT_EQ(types, (std::vector<std::string>{"sign_up", "sign_in.failure", "sign_in.success",
                                               "sign_in.success", "session.revoke", "sign_out"}));
    auto failure = events("sign_in.failure").front();
    EXPECT_EQ(failure.identifier, "Alice");
    EXPECT_TRUE(failure.user_id);
    EXPECT_THAT(failure.detail, HasSubstr("wrong_password"));
    // No column anywhere holds the password that was tried.
    auto rows = db_->query(
        "SELECT COUNT(*) FROM audit_events WHERE identifier LIKE '%secret%' OR "
        "user_agent LIKE '%secret%' OR detail LIKE '%secret%'",
        {});
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().integer(0), 0);
}

TEST_F(SecurityTest, TheSignUpPageShowsACaptchaImageServedAsSvg) {
    Browser b(*app_);
    auto form = b.get("/signup");
    const std::string id = captcha_id(form.body);
    ASSERT_EQ(id.size(), 32u);
    EXPECT_THAT(form.body, HasSubstr("<img class=\"captcha__image\" src=\"/captcha/" + id +
                                     "\" width=\"180\" height=\"60\" alt=\"安全验证图片"));
    EXPECT_THAT(form.body, HasSubstr("name=\"action\" value=\"new_captcha\""));
    EXPECT_THAT(form.headers.get("Content-Security-Policy").value_or(""),
                HasSubstr("img-src 'self'"));
    auto image = b.get("/captcha/" + id);
    EXPECT_EQ(image.status, 200);
    EXPECT_EQ(image.headers.get("Content-Type"), "image/svg+xml");
    EXPECT_EQ(image.headers.get("Cache-Control"), "no-store");
    EXPECT_EQ(image.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_THAT(image.body, HasSubstr("<svg"));
    EXPECT_THAT(image.body, Not(HasSubstr("<text")));
    EXPECT_THAT(image.body, Not(HasSubstr(test_captcha_answer())));
    EXPECT_EQ(b.get("/captcha/" + std::string(32, '0')).status, 404);
    EXPECT_EQ(b.get("/captcha/nothex").status, 404);
}

TEST_F(SecurityTest, AWrongCodeKeepsTheTypedValuesAndShowsANewImage) {
    Browser b(*app_);
    b.captcha_answer = "CCCCC";
    auto r = b.submit("/signup", "/signup", signup_fields("alice"));
    EXPECT_EQ(r.status, 400);
    EXPECT_THAT(r.body, HasSubstr("字符与图片不符"));
    EXPECT_THAT(r.body, HasSubstr("value=\"alice\""));
    EXPECT_THAT(r.body, HasSubstr("value=\"alice@example.com\""));
    EXPECT_THAT(r.body, Not(HasSubstr(std::string(good_password))));
    EXPECT_THAT(r.body, HasSubstr("id=\"captcha\" name=\"captcha\" type=\"text\" value=\"\""));
    EXPECT_THAT(r.body, HasSubstr("autofocus aria-required=\"true\" aria-invalid=\"true\""));
    EXPECT_EQ(count("users"), 0);
    // The new image can be answered; lower case is fine.
    b.captcha_answer = "aaaaa";
    ASSERT_EQ(test_captcha_answer(), "AAAAA");
    auto fields = signup_fields("alice");
    fields["csrf"] = Browser::csrf_of(r.body);
    fields.merge(b.captcha_of(r.body));
    EXPECT_EQ(b.post("/signup", fields).status, 303);
    EXPECT_EQ(count("users"), 1);
}

TEST_F(SecurityTest, AnAnsweredImageCannotBeReplayed) {
    Browser b(*app_);
    auto form = b.get("/signup");
    auto fields = signup_fields("ab");  // too short: refused, but the captcha was right
    fields["csrf"] = Browser::csrf_of(form.body);
    fields.merge(b.captcha_of(form.body));
    auto first = b.post("/signup", fields);
    EXPECT_EQ(first.status, 400);
    EXPECT_THAT(first.body, Not(HasSubstr("captcha-errors\"><li>")));
    EXPECT_NE(captcha_id(first.body), fields["captcha_id"]);
    fields["username"] = "alice";
    auto replay = b.post("/signup", fields);
    EXPECT_EQ(replay.status, 400);
    EXPECT_THAT(replay.body, HasSubstr("该图片已使用过"));
    EXPECT_EQ(count("users"), 0);
}

TEST_F(SecurityTest, AnExpiredImageIsRefused) {
    Browser b(*app_);
    b.accept_language = "en";
    auto form = b.get("/signup");
    advance(minutes(10) + seconds(1));
    EXPECT_EQ(b.get("/captcha/" + captcha_id(form.body)).status, 404);
    auto fields = signup_fields("alice");
    fields["csrf"] = Browser::csrf_of(form.body);
    fields.merge(b.captcha_of(form.body));
    auto r = b.post("/signup", fields);
    EXPECT_EQ(r.status, 400);
    EXPECT_THAT(r.body, HasSubstr("The image expired"));
    EXPECT_EQ(count("users"), 0);
}

TEST_F(SecurityTest, NewImageShowsTheFormAgainWithoutCheckingIt) {
    Browser b(*app_);
    auto form = b.get("/signup");
    auto fields = signup_fields("ab");
    fields["csrf"] = Browser::csrf_of(form.body);
    fields["captcha_id"] = captcha_id(form.body);
    fields["action"] = "new_captcha";
    auto r = b.post("/signup", fields);
    EXPECT_EQ(r.status, 200);
    EXPECT_THAT(r.body, HasSubstr("value=\"ab\""));
    EXPECT_THAT(r.body, Not(HasSubstr(std::string(good_password))));
    EXPECT_THAT(r.body, Not(HasSubstr("-errors\"><li>")));  // no field was checked
    EXPECT_NE(captcha_id(r.body), captcha_id(form.body));
    EXPECT_THAT(r.body, HasSubstr("autocapitalize=\"characters\" autofocus"));
    EXPECT_EQ(count("users"), 0);
}

TEST_F(SecurityTest, WithoutACaptchaSignUpNeedsNone) {
    config_.captcha.enabled = false;
    start_app();
    Browser b(*app_);
    auto form = b.get("/signup");
    EXPECT_THAT(form.body, Not(HasSubstr("captcha")));
    EXPECT_EQ(b.submit("/signup", "/signup", signup_fields("alice")).status, 303);
}

}  // namespace
}  // namespace idpd::testing_support
