// billing plans on every backend: an upgrade charges the balance at once (refused, nothing
// changed, when short), a downgrade waits for the period's end, renewals charge once per period
// (also when two runs race) and fall to Free when the balance cannot pay; quota usage adds up.
#include <thread>

#include <gtest/gtest.h>

#include "billing/subscriptions.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using billing::Catalog;
using billing::Error;
using billing::PlanChange;

// 2023-11-14T22:13:20Z
const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

struct PlanFixture {
    store::Database& db;
    Catalog catalog = Catalog::defaults();
    std::int64_t account = 0;

    explicit PlanFixture(store::Database& database, std::int64_t topped_up_fen) : db(database) {
        auto opened = billing::AccountStore(db).open({billing::OwnerKind::org, 1}, "free-2x", t0);
        EXPECT_TRUE(opened);
        account = opened->id;
        if (topped_up_fen > 0) {
            EXPECT_TRUE(billing::credit(
                db, {account, billing::EntryType::top_up, topped_up_fen, "seed", "seed"}, t0));
        }
    }

    billing::Account get() { return billing::AccountStore(db).get(account).value(); }
};

TEST_P(StoreTest, UpgradeChargesTheMonthlyPriceAtOnceOrIsRefusedWhenShort) {
    PlanFixture f(db(), 10'000);  // 100.00: enough for Pro 8x (99.00), not for Pro 16x
    auto refused = billing::change_plan(db(), f.catalog, f.account, "pro-16x", t0 + 1h);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::insufficient_balance);
    EXPECT_NE(refused.error().message.find("top up"), std::string::npos);
    EXPECT_EQ(f.get().plan, "free-2x");
    EXPECT_EQ(f.get().balance_fen, 10'000);

    auto upgraded = billing::change_plan(db(), f.catalog, f.account, "pro-8x", t0 + 1h);
    ASSERT_TRUE(upgraded) << upgraded.error().message;
    EXPECT_EQ(*upgraded, PlanChange::upgraded);
    const auto account = f.get();
    EXPECT_EQ(account.plan, "pro-8x");
    EXPECT_EQ(account.balance_fen, 100);
    EXPECT_EQ(account.period_start, t0 + 1h);
    EXPECT_EQ(account.period_end, billing::add_month(t0 + 1h));
    auto entries = billing::list_entries(db(), f.account, {}).value();
    EXPECT_EQ(entries.entries.front().type, "plan_charge");
    EXPECT_EQ(entries.entries.front().amount_fen, -9'900);
    EXPECT_EQ(billing::ledger_sum(db(), f.account).value(), account.balance_fen);
}

TEST_P(StoreTest, UnknownPlansAndTheCurrentPlanAreRefused) {
    PlanFixture f(db(), 0);
    EXPECT_EQ(billing::change_plan(db(), f.catalog, f.account, "pro-9x", t0).error().kind,
              Error::Kind::invalid);
    EXPECT_EQ(billing::change_plan(db(), f.catalog, f.account, "free-2x", t0).error().kind,
              Error::Kind::invalid);
    EXPECT_EQ(billing::change_plan(db(), f.catalog, f.account + 50, "pro-8x", t0).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, DowngradeWaitsForThePeriodEndAndRenewalChargesTheSmallerPlan) {
    PlanFixture f(db(), 50'000);
    ASSERT_TRUE(billing::change_plan(db(), f.catalog, f.account, "pro-16x", t0));
    auto scheduled = billing::change_plan(db(), f.catalog, f.account, "pro-8x", t0 + 24h);
    ASSERT_TRUE(scheduled);
    EXPECT_EQ(*scheduled, PlanChange::downgrade_scheduled);
    EXPECT_EQ(f.get().plan, "pro-16x");
    EXPECT_EQ(f.get().next_plan, std::optional<std::string>("pro-8x"));
    EXPECT_EQ(f.get().balance_fen, 50'000 - 19'900);

    // Nothing is due before the period's end.
    EXPECT_EQ(billing::renew_due(db(), f.catalog, t0 + 24h * 20).renewed, 0u);
    const auto end = f.get().period_end;
    auto report = billing::renew_due(db(), f.catalog, end);
    EXPECT_EQ(report.renewed, 1u);
    const auto renewed = f.get();
    EXPECT_EQ(renewed.plan, "pro-8x");
    EXPECT_FALSE(renewed.next_plan);
    EXPECT_EQ(renewed.period_start, end);
    EXPECT_EQ(renewed.balance_fen, 50'000 - 19'900 - 9'900);
    // A second run in the same period charges nothing.
    EXPECT_EQ(billing::renew_due(db(), f.catalog, end + 1h).renewed, 0u);
    EXPECT_EQ(f.get().balance_fen, renewed.balance_fen);
    EXPECT_EQ(billing::ledger_sum(db(), f.account).value(), renewed.balance_fen);
}

TEST_P(StoreTest, ADowngradeCanBeCancelledByChoosingTheCurrentPlan) {
    PlanFixture f(db(), 20'000);
    ASSERT_TRUE(billing::change_plan(db(), f.catalog, f.account, "pro-8x", t0));
    ASSERT_TRUE(billing::change_plan(db(), f.catalog, f.account, "free-2x", t0));
    auto cancelled = billing::change_plan(db(), f.catalog, f.account, "pro-8x", t0);
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(*cancelled, PlanChange::downgrade_cancelled);
    EXPECT_FALSE(f.get().next_plan);
}

TEST_P(StoreTest, ARenewalTheBalanceCannotPayFallsToFreeAndRacingRunsChargeOnce) {
    PlanFixture f(db(), 9'900 + 9'900 + 100);
    ASSERT_TRUE(billing::change_plan(db(), f.catalog, f.account, "pro-8x", t0));
    const auto end = f.get().period_end;
    std::vector<std::thread> runs;
    for (int i = 0; i < 4; ++i) {
        runs.emplace_back([&] { billing::renew_due(db(), f.catalog, end); });
    }
    for (auto& t : runs) {
        t.join();
    }
    EXPECT_EQ(f.get().balance_fen, 100);  // one renewal charge, not four
    EXPECT_EQ(f.get().plan, "pro-8x");
    const auto next_end = f.get().period_end;
    auto report = billing::renew_due(db(), f.catalog, next_end);
    EXPECT_EQ(report.fell_to_free, 1u);
    EXPECT_EQ(f.get().plan, "free-2x");
    EXPECT_EQ(f.get().balance_fen, 100);
    EXPECT_EQ(billing::ledger_sum(db(), f.account).value(), 100);
}

TEST_P(StoreTest, QuotaUsageAddsUpWithinAPeriodAndStartsAgainAtRenewal) {
    PlanFixture f(db(), 0);
    auto usage = billing::report_usage(db(), f.catalog, f.account, 1'500);
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->quota, 2'000);
    EXPECT_EQ(usage->used, 1'500);
    EXPECT_EQ(usage->remaining, 500);
    ASSERT_TRUE(billing::AccountStore(db()).add_bonus_quota(f.account, 100));
    usage = billing::report_usage(db(), f.catalog, f.account, 1'000);
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->quota, 2'100);
    EXPECT_EQ(usage->used, 2'500);
    EXPECT_EQ(usage->remaining, 0);
    EXPECT_EQ(billing::report_usage(db(), f.catalog, f.account, 0).error().kind,
              Error::Kind::invalid);
    EXPECT_EQ(billing::report_usage(db(), f.catalog, f.account, -3).error().kind,
              Error::Kind::invalid);
    billing::renew_due(db(), f.catalog, f.get().period_end);
    EXPECT_EQ(billing::quota_usage(db(), f.catalog, f.account).value().used, 0);
}

TEST(BillingPeriods, AMonthLaterClampsTheDay) {
    using namespace std::chrono;
    const sys_seconds jan31 = sys_days{2025y / January / 31} + 10h;
    EXPECT_EQ(billing::add_month(jan31), sys_seconds{sys_days{2025y / February / 28} + 10h});
    const sys_seconds dec15 = sys_days{2025y / December / 15};
    EXPECT_EQ(billing::add_month(dec15), sys_seconds{sys_days{2026y / January / 15}});
}

}  // namespace
}  // namespace idpd::conformance
