// Binding, changing and unbinding a phone number through /account/phones, and signing in with
// a text message through /signin/sms: codes in the outbox (only their hash stored), single
// use, five minutes, throttled, no enumeration of numbers other accounts hold.
#include "integration/web/phones_fixture.h"
#include "phone/phone_flows.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

TEST_F(PhonesTest, ACodeBySmsBindsTheNumberOnceAndOnlyItsHashIsStored) {
    Browser b = signed_up("alice");
    auto sent = request_code(b, "138 0013 8000");
    ASSERT_EQ(sent.status, 303) << sent.body;
    EXPECT_EQ(sent.headers.get("Location"), "/account/phones?sent=%2B8613800138000");
    auto messages = sms();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].to, "+8613800138000");
    EXPECT_EQ(messages[0].kind, "phone_bind");
    const std::string code = last_code();
    ASSERT_EQ(code.size(), 6u);
    auto stored = db_->query("SELECT code_hash FROM phone_codes", {});
    ASSERT_TRUE(stored && stored->size() == 1);
    EXPECT_EQ(stored->front().text(0).size(), 32u);
    EXPECT_THAT(stored->front().text(0), Not(HasSubstr(code)));

    const std::string wrong = code == "000000" ? "111111" : "000000";
    auto refused = confirm(b, "+8613800138000", wrong);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_phones"), 0);

    auto done = confirm(b, "+8613800138000", code);
    ASSERT_EQ(done.status, 303) << done.body;
    auto page = b.get("/account/phones");
    EXPECT_THAT(page.body, HasSubstr("data-phone=\"+8613800138000\""));
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'phone.bound'"), 1);

    // The same code again (a replay, or a second tab) binds nothing.
    Browser bob = signed_up("bobby");
    EXPECT_EQ(confirm(bob, "+8613800138000", code).status, 400);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_phones"), 1);
}

TEST_F(PhonesTest, MalformedNumbersAreRefusedWithAClearMessageAndNoSms) {
    Browser b = signed_up("alice");
    b.accept_language = "en";
    auto bare = request_code(b, "4155552671");
    EXPECT_EQ(bare.status, 400);
    EXPECT_THAT(bare.body, HasSubstr("Add the country code"));
    auto letters = request_code(b, "138oo138000");
    EXPECT_EQ(letters.status, 400);
    EXPECT_THAT(letters.body, HasSubstr("only digits"));
    EXPECT_TRUE(sms().empty());
}

TEST_F(PhonesTest, ANumberAnotherAccountHoldsGetsTheSameAnswerAndNoSms) {
    Browser alice = signed_up("alice");
    bind(alice, "13800138000", "+8613800138000");
    const auto before = sms().size();
    advance(std::chrono::seconds(61));  // the number's one-a-minute throttle counts alice's code
    Browser bob = signed_up("bobby");
    auto sent = request_code(bob, "+86 138 0013 8000");
    EXPECT_EQ(sent.status, 303);
    EXPECT_EQ(sent.headers.get("Location"), "/account/phones?sent=%2B8613800138000");
    EXPECT_EQ(sms().size(), before) << "no code goes to someone else's phone";
    EXPECT_EQ(confirm(bob, "+8613800138000", "123456").status, 400);
    EXPECT_EQ(count("SELECT user_id FROM user_phones"), user_id("alice"));
}

TEST_F(PhonesTest, ChangingTheNumberReplacesTheOldOne) {
    Browser b = signed_up("alice");
    bind(b, "13800138000", "+8613800138000");
    advance(std::chrono::seconds(61));
    bind(b, "+1 415 555 2671", "+14155552671");
    auto rows = db_->query("SELECT phone FROM user_phones", {});
    ASSERT_TRUE(rows && rows->size() == 1);
    EXPECT_EQ(rows->front().text(0), "+14155552671");
    auto detail = db_->query(
        "SELECT detail FROM audit_events WHERE type = 'phone.bound' ORDER BY id DESC", {});
    ASSERT_TRUE(detail && !detail->empty());
    EXPECT_THAT(detail->front().text(0), HasSubstr("+8613800138000"));
}

TEST_F(PhonesTest, UnbindingIsRefusedWhenItWouldLeaveNoWayToRecoverTheAccount) {
    Browser b = signed_up("alice");
    bind(b, "13800138000", "+8613800138000");
    // No password (an account made through an upstream) and an unverified email only.
    ASSERT_TRUE(db_->execute("UPDATE users SET password_hash = NULL", {}));
    auto refused = b.submit("/account/phones", "/account/phones/unbind", {});
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_phones"), 1);

    ASSERT_TRUE(db_->execute("UPDATE user_emails SET verified_at = 1", {}));
    auto done = b.submit("/account/phones", "/account/phones/unbind", {});
    EXPECT_EQ(done.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_phones"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'phone.unbound'"), 1);
}

TEST_F(PhonesTest, BindingAndUnbindingPassTheStepUpGuard) {
    Browser b = signed_up("alice");
    advance(std::chrono::minutes(6));  // past totp.step_up_window
    auto gated = request_code(b, "13800138000");
    ASSERT_EQ(gated.status, 303);
    EXPECT_EQ(gated.headers.get("Location"), "/account/verify?return_to=%2Faccount%2Fphones");
    auto unbind = b.submit("/account/phones", "/account/phones/unbind", {});
    EXPECT_EQ(unbind.headers.get("Location"), "/account/verify?return_to=%2Faccount%2Fphones");
    EXPECT_TRUE(sms().empty());
}

TEST_F(PhonesTest, CodesAreThrottledPerNumber) {
    Browser b = signed_up("alice");
    ASSERT_EQ(request_code(b, "13800138000").status, 303);
    auto again = request_code(b, "13800138000");
    EXPECT_EQ(again.status, 429);
    EXPECT_TRUE(again.headers.get("Retry-After").has_value());
    EXPECT_EQ(sms().size(), 1u);
}

// The flows under the pages, with their own clock: expiry and the hourly limits.
TEST_F(PhonesTest, ACodeExpiresAfterFiveMinutesAndTheHourlyLimitsHold) {
    signed_up("alice");
    const auto alice = user_id("alice");
    auth::RandomSource& random = auth::system_random();
    phone::PhoneFlows flows(*db_, random);
    auto text = [](const std::string& code) {
        return "code " + code;
    };
    const auto t0 =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    ASSERT_FALSE(flows.start_bind(alice, "+8613800138000", "10.0.0.1", text, t0)->throttled);
    auto late =
        flows.confirm_bind(alice, "+8613800138000", last_code(), t0 + std::chrono::seconds(301));
    EXPECT_EQ(late->outcome, phone::BindOutcome::wrong_code);

    // Five codes an hour per number, whatever the gap.
    for (int i = 1; i < 5; ++i) {
        EXPECT_FALSE(flows
                         .start_bind(alice, "+8613800138000", "10.0.0.1", text,
                                     t0 + std::chrono::minutes(2 * i))
                         ->throttled);
    }
    EXPECT_TRUE(
        flows.start_bind(alice, "+8613800138000", "10.0.0.1", text, t0 + std::chrono::minutes(12))
            ->throttled);
    // Ten an hour per account, across numbers.
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(flows
                         .start_bind(alice, "+861390013800" + std::to_string(i), "10.0.0.2", text,
                                     t0 + std::chrono::minutes(13))
                         ->throttled);
    }
    EXPECT_TRUE(
        flows.start_bind(alice, "+8613700137000", "10.0.0.3", text, t0 + std::chrono::minutes(14))
            ->throttled);
}

TEST_F(PhonesTest, SigningInWithATextMessageOpensASessionWithAmrSms) {
    {
        Browser owner = signed_up("alice");
        bind(owner, "13800138000", "+8613800138000");
    }
    Browser b(*app_);
    auto link = b.get("/signin");
    EXPECT_THAT(link.body, HasSubstr("href=\"/signin/sms\""));
    auto asked = b.submit("/signin/sms", "/signin/sms", {{"phone", "138 0013 8000"}});
    ASSERT_EQ(asked.status, 200) << asked.body;
    EXPECT_EQ(sms().back().kind, "phone_sign_in");
    auto wrong =
        b.post("/signin/sms/verify", {{"csrf", Browser::csrf_of(asked.body)},
                                      {"phone", "+8613800138000"},
                                      {"code", last_code() == "000000" ? "111111" : "000000"}});
    EXPECT_EQ(wrong.status, 401);
    auto in = b.post("/signin/sms/verify", {{"csrf", Browser::csrf_of(asked.body)},
                                            {"phone", "+8613800138000"},
                                            {"code", last_code()}});
    ASSERT_EQ(in.status, 303) << in.body;
    EXPECT_EQ(in.headers.get("Location"), "/account");
    EXPECT_EQ(b.get("/account").status, 200);
    auto amr = db_->query("SELECT amr FROM sessions ORDER BY id DESC LIMIT 1", {});
    ASSERT_TRUE(amr && !amr->empty());
    EXPECT_EQ(amr->front().text(0), "sms");
}

TEST_F(PhonesTest, AnUnknownNumberGetsTheSamePageAndNoSms) {
    Browser b(*app_);
    b.accept_language = "en";
    auto asked = b.submit("/signin/sms", "/signin/sms", {{"phone", "13900139000"}});
    EXPECT_EQ(asked.status, 200);
    EXPECT_THAT(asked.body, HasSubstr("If +8613900139000 is bound to an account"));
    EXPECT_TRUE(sms().empty());
    auto guess = b.post(
        "/signin/sms/verify",
        {{"csrf", Browser::csrf_of(asked.body)}, {"phone", "+8613900139000"}, {"code", "123456"}});
    EXPECT_EQ(guess.status, 401);
}

}  // namespace
}  // namespace idpd::testing_support
