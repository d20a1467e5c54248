// Email verification and password reset through the whole app in-process: the mail written to
// the outbox with the sign-up, the link followed (a GET shows, a POST redeems, once), resend
// with its cooldown, "forgot password" answering the same for everyone, and a reset that ends
// every session and mails a notice.
#include <map>
#include <string>

#include <gmock/gmock.h>

#include "audit/audit_log.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

constexpr std::string_view good_password = "correct horse battery";
constexpr std::string_view new_password = "a whole new passphrase";

struct Mail {
    std::string to, subject, text, kind;
};

class EmailLinksTest : public AppTest {
protected:
    Browser signed_up(const std::string& name, const std::string& email) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", email},
                           {"password", std::string(good_password)},
                           {"confirm", std::string(good_password)},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    std::vector<Mail> outbox() {
        auto rows =
            db_->query("SELECT recipient, subject, text_body, kind FROM outbox ORDER BY id", {});
        EXPECT_TRUE(rows) << rows.error().message;
        std::vector<Mail> out;
        for (const auto& row : *rows) {
            out.push_back({row.text(0), row.text(1), row.text(2), row.text(3)});
        }
        return out;
    }

    // The path and query of the first link to our issuer in a mail body.
    static std::string link_in(const std::string& text) {
        const std::string origin = "http://localhost:8080";
        auto at = text.find(origin);
        EXPECT_NE(at, std::string::npos) << text;
        if (at == std::string::npos) {
            return {};
        }
        auto end = text.find_first_of(" \n", at);
        return text.substr(at + origin.size(), end - at - origin.size());
    }

    http::HttpResponse confirm(Browser& b, const std::string& link) {
        auto page = b.get(link, "en");
        EXPECT_EQ(page.status, 200) << page.body;
        return b.post("/verify-email", {{"csrf", Browser::csrf_of(page.body)},
                                        {"token", Browser::input_value(page.body, "token")}});
    }

    std::vector<audit::Record> events(const std::string& type) {
        auto rows = audit::tail(*db_, {1000, std::nullopt, type});
        EXPECT_TRUE(rows);
        return rows.value_or(std::vector<audit::Record>{});
    }

    std::int64_t user_id(const std::string& username) {
        auto rows = db_->query("SELECT id FROM users WHERE username = ?", {username});
        EXPECT_TRUE(rows && !rows->empty());
        return rows && !rows->empty() ? rows->front().integer(0) : -1;
    }

    http::HttpResponse sign_in(Browser& b, const std::string& identifier,
                               std::string_view password) {
        return b.submit("/signin", "/signin",
                        {{"identifier", identifier}, {"password", std::string(password)}});
    }
};

TEST_F(EmailLinksTest, SignUpMailsALinkThatVerifiesOnceAndThenTheEmailSignsIn) {
    Browser b = signed_up("alice", "alice@example.com");
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].to, "alice@example.com");
    EXPECT_EQ(mails[0].kind, "verify_email");
    EXPECT_THAT(mails[0].text, HasSubstr("120"));  // minutes, in the default zh-CN
    const std::string link = link_in(mails[0].text);
    ASSERT_TRUE(link.starts_with("/verify-email?token=")) << link;

    Browser other(*app_);
    EXPECT_EQ(sign_in(other, "alice@example.com", good_password).status, 401);

    // Following the link in another browser works; the GET alone changes nothing.
    auto page = other.get(link, "en");
    EXPECT_THAT(page.body, HasSubstr("Confirm that alice@example.com is your address"));
    EXPECT_EQ(sign_in(other, "alice@example.com", good_password).status, 401);
    auto done = confirm(other, link);
    EXPECT_EQ(done.status, 200);
    EXPECT_THAT(done.body, HasSubstr("alice@example.com 已验证"));
    // Two failures within a second start the throttle's quick-login wait (auth/login_throttle.h).
    advance(std::chrono::minutes(2));
    EXPECT_EQ(sign_in(other, "alice@example.com", good_password).status, 303);

    Browser third(*app_);
    auto again = third.get(link, "en");
    EXPECT_EQ(again.status, 410);
    EXPECT_THAT(again.body, HasSubstr("expired or has already been used"));
}

TEST_F(EmailLinksTest, AnExpiredLinkIsRefused) {
    Browser b = signed_up("bobby", "bob@example.com");
    const std::string link = link_in(outbox().at(0).text);
    ASSERT_TRUE(db_->execute("UPDATE email_tokens SET expires_at = expires_at - 7201", {}));
    EXPECT_EQ(b.get(link).status, 410);
    Browser other(*app_);
    EXPECT_EQ(sign_in(other, "bob@example.com", good_password).status, 401);
}

TEST_F(EmailLinksTest, ResendSendsAFreshLinkAtMostOncePerCooldown) {
    Browser b = signed_up("carol", "carol@example.com");
    auto account = b.get("/account/emails", "en");
    EXPECT_THAT(account.body, HasSubstr("Resend verification email"));
    // Just signed up: the sign-up mail counts, so the first resend waits.
    auto r = b.post("/account/emails/resend",
                    {{"csrf", Browser::csrf_of(account.body)}, {"email", "carol@example.com"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"), "/account/emails?notice=resend_wait");
    EXPECT_EQ(outbox().size(), 1u);
    ASSERT_TRUE(db_->execute("UPDATE email_tokens SET created_at = created_at - 61", {}));
    r = b.post("/account/emails/resend",
               {{"csrf", Browser::csrf_of(account.body)}, {"email", "carol@example.com"}});
    EXPECT_EQ(r.headers.get("Location"), "/account/emails?notice=resent");
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 2u);
    // Both links work until one is used: the newest is not the only valid one.
    EXPECT_EQ(confirm(b, link_in(mails[1].text)).status, 200);
    // Another user's address, or a verified one, sends nothing.
    r = b.post("/account/emails/resend",
               {{"csrf", Browser::csrf_of(account.body)}, {"email", "carol@example.com"}});
    EXPECT_EQ(r.headers.get("Location"), "/account/emails");
    EXPECT_EQ(outbox().size(), 2u);
}

TEST_F(EmailLinksTest, ForgotPasswordAnswersTheSameForEveryoneAndMailsOnlyVerifiedAddresses) {
    Browser b = signed_up("dave1", "dave@example.com");
    Browser anon(*app_);
    auto unknown = anon.submit("/forgot-password", "/forgot-password", {{"identifier", "nobody"}});
    auto unverified =
        anon.submit("/forgot-password", "/forgot-password", {{"identifier", "dave1"}});
    EXPECT_EQ(unknown.status, 200);
    EXPECT_EQ(unverified.status, 200);
    EXPECT_THAT(unknown.body, HasSubstr("重置链接已发送"));
    EXPECT_THAT(unverified.body, HasSubstr("重置链接已发送"));
    EXPECT_EQ(outbox().size(), 1u);  // only the sign-up mail: the address is not verified

    ASSERT_EQ(confirm(b, link_in(outbox().at(0).text)).status, 200);
    anon.submit("/forgot-password", "/forgot-password", {{"identifier", "dave@example.com"}});
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[1].kind, "password_reset");
    EXPECT_EQ(mails[1].to, "dave@example.com");
    // Asking again at once sends nothing more, and says the same.
    auto twice = anon.submit("/forgot-password", "/forgot-password", {{"identifier", "dave1"}});
    EXPECT_THAT(twice.body, HasSubstr("重置链接已发送"));
    EXPECT_EQ(outbox().size(), 2u);
}

TEST_F(EmailLinksTest, ResetSetsTheNewPasswordEndsEverySessionAndWorksOnce) {
    Browser b = signed_up("erin1", "erin@example.com");
    ASSERT_EQ(confirm(b, link_in(outbox().at(0).text)).status, 200);
    Browser anon(*app_);
    anon.submit("/forgot-password", "/forgot-password", {{"identifier", "erin1"}});
    const std::string link = link_in(outbox().at(1).text);
    ASSERT_TRUE(link.starts_with("/reset-password?token=")) << link;

    auto form = anon.get(link, "en");
    ASSERT_EQ(form.status, 200);
    const std::string token = Browser::input_value(form.body, "token");
    // A password the policy refuses names the rule and keeps the link usable.
    auto weak = anon.post("/reset-password", {{"csrf", Browser::csrf_of(form.body)},
                                              {"token", token},
                                              {"password", "erin1erin1"},
                                              {"confirm", "erin1erin1"}});
    EXPECT_EQ(weak.status, 400);
    auto done = anon.post("/reset-password", {{"csrf", Browser::csrf_of(form.body)},
                                              {"token", token},
                                              {"password", std::string(new_password)},
                                              {"confirm", std::string(new_password)}});
    ASSERT_EQ(done.status, 303);
    EXPECT_EQ(done.headers.get("Location"), "/signin?reset=1");

    // The browser that was signed in is signed out.
    EXPECT_EQ(b.get("/account").status, 303);
    EXPECT_EQ(sign_in(anon, "erin1", good_password).status, 401);
    EXPECT_EQ(sign_in(anon, "erin1", new_password).status, 303);
    auto mails = outbox();
    ASSERT_EQ(mails.size(), 3u);
    EXPECT_EQ(mails[2].kind, "password_changed");

    Browser again(*app_);
    EXPECT_EQ(again.get(link).status, 410);
    auto reuse = again.post("/reset-password", {{"csrf", Browser::csrf_of(form.body)},
                                                {"token", token},
                                                {"password", "yet another passphrase"},
                                                {"confirm", "yet another passphrase"}});
    EXPECT_NE(reuse.status, 303);
}

TEST_F(EmailLinksTest, VerifyingAnEmailIsAudited) {
    Browser b = signed_up("gina1", "Gina@Example.com");
    EXPECT_TRUE(events("email.verified").empty());
    ASSERT_EQ(confirm(b, link_in(outbox().at(0).text)).status, 200);
    auto verified = events("email.verified");
    ASSERT_EQ(verified.size(), 1u);
    EXPECT_EQ(verified[0].user_id, user_id("gina1"));
    EXPECT_EQ(verified[0].identifier, "gina@example.com");
    EXPECT_EQ(verified[0].ip, "198.51.100.9");
    // A replayed link changes nothing, so it records nothing.
    const std::string link = link_in(outbox().at(0).text);
    auto again = b.get(link, "en");
    EXPECT_EQ(again.status, 410);
    auto replay = b.post("/verify-email", {{"csrf", Browser::csrf_of(again.body)},
                                           {"token", link.substr(link.find("token=") + 6)}});
    EXPECT_EQ(replay.status, 410);
    EXPECT_EQ(events("email.verified").size(), 1u);
}

TEST_F(EmailLinksTest, PasswordResetRequestsAndCompletionsAreAudited) {
    Browser b = signed_up("hank1", "hank@example.com");
    ASSERT_EQ(confirm(b, link_in(outbox().at(0).text)).status, 200);
    Browser anon(*app_);
    anon.submit("/forgot-password", "/forgot-password", {{"identifier", "nobody"}});
    anon.submit("/forgot-password", "/forgot-password", {{"identifier", "hank1"}});
    anon.submit("/forgot-password", "/forgot-password", {{"identifier", "hank@example.com"}});
    auto requested = events("password_reset.requested");
    ASSERT_EQ(requested.size(), 3u);
    EXPECT_EQ(requested[0].user_id, std::nullopt);
    EXPECT_EQ(requested[0].identifier, "nobody");
    EXPECT_THAT(requested[0].detail, HasSubstr("unknown_account"));
    EXPECT_EQ(requested[1].user_id, user_id("hank1"));
    EXPECT_THAT(requested[1].detail, HasSubstr("\"mailed\""));
    EXPECT_THAT(requested[2].detail, HasSubstr("cooldown"));  // one mail per cooldown
    EXPECT_TRUE(events("password_reset.completed").empty());

    auto form = anon.get(link_in(outbox().at(1).text));
    auto done = anon.post("/reset-password", {{"csrf", Browser::csrf_of(form.body)},
                                              {"token", Browser::input_value(form.body, "token")},
                                              {"password", std::string(new_password)},
                                              {"confirm", std::string(new_password)}});
    ASSERT_EQ(done.status, 303);
    auto completed = events("password_reset.completed");
    ASSERT_EQ(completed.size(), 1u);
    EXPECT_EQ(completed[0].user_id, user_id("hank1"));
    EXPECT_THAT(completed[0].detail, HasSubstr("\"sessions_ended\":1"));  // b's session
}

}  // namespace
}  // namespace idpd::testing_support
