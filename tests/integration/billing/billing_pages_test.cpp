// The billing pages in a browser: the overview (plan, quota, balance), upgrades charged from
// the balance (refused with a clear message when short), downgrades at the period's end, coupon
// redemption once, the records page with its type filter, pages and CSV export; every POST
// needs the CSRF token, and signed-out visitors are sent to sign in.
#include <gmock/gmock.h>

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/coupon_store.h"
#include "billing/ledger.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using namespace std::chrono_literals;
using testing::HasSubstr;
using testing::Not;

class BillingPagesTest : public AppTest {
protected:
    // A signed-up person's browser and their billing account, topped up with `fen`.
    Browser signed_up(const std::string& name, std::int64_t fen) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", "correct horse battery"},
                           {"confirm", "correct horse battery"},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        const auto user = account::UserStore(*db_).find_by_username(name).value();
        account_ = billing::AccountStore(*db_)
                       .open({billing::OwnerKind::user, user.id}, "free-2x", now())
                       .value()
                       .id;
        if (fen > 0) {
            EXPECT_TRUE(billing::credit(
                *db_, {account_, billing::EntryType::top_up, fen, "T1", "seed"}, now()));
        }
        return b;
    }

    static std::chrono::sys_seconds now() {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }

    billing::Account account() { return billing::AccountStore(*db_).get(account_).value(); }

    std::int64_t account_ = 0;
};

TEST_F(BillingPagesTest, TheOverviewShowsPlanQuotaAndBalanceInBothLanguages) {
    Browser b = signed_up("alice", 12'345);
    auto page = b.get("/account/billing");
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("费用中心"));
    EXPECT_THAT(page.body, HasSubstr("¥123.45"));
    EXPECT_THAT(page.body, HasSubstr("0 / 2000"));
    EXPECT_THAT(page.body, HasSubstr("enterprise-512x"));
    auto english = b.get("/account/billing", "en");
    EXPECT_THAT(english.body, HasSubstr("Plan and balance"));
    Browser stranger(*app_);
    auto away = stranger.get("/account/billing");
    EXPECT_EQ(away.status, 303);
    EXPECT_THAT(away.headers.get("Location").value_or(""), HasSubstr("/signin"));
}

TEST_F(BillingPagesTest, AnUpgradeIsChargedOrRefusedWhenTheBalanceIsShort) {
    Browser b = signed_up("bobby", 10'000);
    auto short_of = b.submit("/account/billing", "/account/billing/plan", {{"plan", "pro-16x"}});
    ASSERT_EQ(short_of.status, 303);
    auto refused = b.get(short_of.headers.get("Location").value(), "en");
    EXPECT_THAT(refused.body, HasSubstr("Your balance is too low for this plan. Top up first."));
    EXPECT_EQ(account().plan, "free-2x");
    EXPECT_EQ(account().balance_fen, 10'000);

    auto ok = b.submit("/account/billing", "/account/billing/plan", {{"plan", "pro-8x"}});
    auto shown = b.get(ok.headers.get("Location").value(), "en");
    EXPECT_THAT(shown.body, HasSubstr("Your plan was upgraded and charged."));
    EXPECT_EQ(account().plan, "pro-8x");
    EXPECT_EQ(account().balance_fen, 100);

    auto down = b.submit("/account/billing", "/account/billing/plan", {{"plan", "free-2x"}});
    EXPECT_THAT(b.get(down.headers.get("Location").value(), "en").body,
                HasSubstr("Your plan will change when the current period ends."));
    EXPECT_EQ(account().plan, "pro-8x");
    EXPECT_EQ(account().next_plan, std::optional<std::string>("free-2x"));

    auto unknown = b.submit("/account/billing", "/account/billing/plan", {{"plan", "gold"}});
    EXPECT_THAT(b.get(unknown.headers.get("Location").value(), "en").body,
                HasSubstr("There is no such plan."));
    // Without the CSRF token nothing changes.
    EXPECT_EQ(b.post("/account/billing/plan", {{"plan", "pro-64x"}}).status, 403);
    EXPECT_EQ(account().plan, "pro-8x");
}

TEST_F(BillingPagesTest, ACouponIsRedeemedOncePerAccount) {
    Browser b = signed_up("carol", 0);
    const auto code =
        billing::CouponStore(*db_).create({500, now() - 1h, now() + 24h, 10}, now()).value().code;
    auto first = b.submit("/account/billing", "/account/billing/coupon", {{"code", code}});
    EXPECT_THAT(b.get(first.headers.get("Location").value(), "en").body,
                HasSubstr("The coupon was redeemed into your balance."));
    auto second = b.submit("/account/billing", "/account/billing/coupon", {{"code", code}});
    EXPECT_THAT(b.get(second.headers.get("Location").value(), "en").body,
                HasSubstr("This account has already redeemed this coupon."));
    auto unknown = b.submit("/account/billing", "/account/billing/coupon", {{"code", "nope"}});
    EXPECT_THAT(b.get(unknown.headers.get("Location").value(), "en").body,
                HasSubstr("No coupon has this code."));
    EXPECT_EQ(account().balance_fen, 500);
}

TEST_F(BillingPagesTest, RecordsArePagedFilteredAndExportedAsCsv) {
    Browser b = signed_up("dave", 0);
    for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(billing::credit(*db_,
                                    {account_, billing::EntryType::top_up, 100,
                                     "T" + std::to_string(i), "k" + std::to_string(i)},
                                    now()));
    }
    ASSERT_TRUE(billing::debit(
        *db_, {account_, billing::EntryType::charge, 250, "=cmd()", "charge-1"}, now()));
    auto first = b.get("/account/billing/records", "en");
    ASSERT_EQ(first.status, 200);
    EXPECT_THAT(first.body, HasSubstr("-2.50"));
    EXPECT_THAT(first.body, HasSubstr("/account/billing/records?page=2"));
    auto second = b.get("/account/billing/records?page=2", "en");
    EXPECT_THAT(second.body, HasSubstr("T0<"));
    EXPECT_THAT(second.body, Not(HasSubstr("?page=3")));
    auto charges = b.get("/account/billing/records?type=charge", "en");
    EXPECT_THAT(charges.body, HasSubstr("-2.50"));
    EXPECT_THAT(charges.body, Not(HasSubstr("+1.00")));
    auto csv = b.get("/account/billing/records?format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_THAT(csv.headers.get("Content-Type").value_or(""), HasSubstr("text/csv"));
    EXPECT_THAT(csv.body, HasSubstr("time,type,amount,balance_after,reference\r\n"));
    EXPECT_THAT(csv.body, HasSubstr(",charge,-2.50,22.50,'=cmd()\r\n"));
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 27);
}

}  // namespace
}  // namespace idpd::testing_support
