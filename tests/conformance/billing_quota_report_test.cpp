// Quota usage reports on every backend: a report counts exactly once per (account, key), a
// replay changes nothing, other units under a used key are a conflict, and 20 racing reports
// with one key add their units once; coupon records list an account's redemptions.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "billing/account_store.h"
#include "billing/coupon_records.h"
#include "billing/coupon_store.h"
#include "billing/quota_reports.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using billing::Error;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

std::int64_t open_account(store::Database& db, std::int64_t owner) {
    return billing::AccountStore(db)
        .open({billing::OwnerKind::user, owner}, "free-2x", t0)
        .value()
        .id;
}

std::int64_t used(store::Database& db, std::int64_t account) {
    return billing::AccountStore(db).get(account).value().quota_used;
}

TEST_P(StoreTest, AQuotaReportCountsOncePerKey) {
    const auto catalog = billing::Catalog::defaults();
    const std::int64_t account = open_account(db(), 1);
    const billing::UsageReport report{account, 7, "req-1", "meter"};
    auto first = billing::report_usage_once(db(), catalog, report, t0);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(first->replayed);
    EXPECT_EQ(first->usage.used, 7);
    auto again = billing::report_usage_once(db(), catalog, report, t0);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(used(db(), account), 7);
    auto other = billing::report_usage_once(db(), catalog, {account, 8, "req-1", "meter"}, t0);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, Error::Kind::conflict);
    // The key is per account: another account may use it.
    const std::int64_t second = open_account(db(), 2);
    EXPECT_TRUE(billing::report_usage_once(db(), catalog, {second, 3, "req-1", "meter"}, t0));
    EXPECT_EQ(used(db(), second), 3);
    EXPECT_EQ(used(db(), account), 7);
}

TEST_P(StoreTest, BadQuotaReportsWriteNothing) {
    const auto catalog = billing::Catalog::defaults();
    const std::int64_t account = open_account(db(), 1);
    for (const billing::UsageReport& bad :
         {billing::UsageReport{account, 0, "k", "m"}, billing::UsageReport{account, -5, "k", "m"},
          billing::UsageReport{account, 1'000'000'001, "k", "m"},
          billing::UsageReport{account, 1, "", "m"},
          billing::UsageReport{account, 1, "has space", "m"}}) {
        auto r = billing::report_usage_once(db(), catalog, bad, t0);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, Error::Kind::invalid) << bad.units << " " << bad.idempotency_key;
    }
    auto missing = billing::report_usage_once(db(), catalog, {999'999, 1, "k", "m"}, t0);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, Error::Kind::not_found);
    EXPECT_EQ(used(db(), account), 0);
    auto rows = db().query("SELECT COUNT(*) FROM billing_quota_reports", {});
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().integer(0), 0);
}

TEST_P(StoreTest, TwentyRacingReportsWithOneKeyCountOnce) {
    const auto catalog = billing::Catalog::defaults();
    const std::int64_t account = open_account(db(), 1);
    std::atomic<bool> go{false};
    std::atomic<int> fresh{0};
    std::atomic<int> replays{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            auto r = billing::report_usage_once(db(), catalog, {account, 4, "burst", "m"}, t0);
            if (!r) {
                ADD_FAILURE() << r.error().message;
            } else if (r->replayed) {
                ++replays;
            } else {
                ++fresh;
            }
        });
    }
    go = true;
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(fresh.load(), 1);
    EXPECT_EQ(replays.load(), 19);
    EXPECT_EQ(used(db(), account), 4);
}

TEST_P(StoreTest, CouponRecordsListAnAccountsRedemptionsNewestFirst) {
    billing::CouponStore coupons(db());
    const std::int64_t account = open_account(db(), 1);
    const std::int64_t other = open_account(db(), 2);
    auto first = coupons.create({500, t0, t0 + 24h, 10}, t0).value();
    auto second = coupons.create({300, t0, t0 + 24h, 10}, t0).value();
    ASSERT_TRUE(coupons.redeem(account, first.code, t0 + 1s));
    ASSERT_TRUE(coupons.redeem(account, second.code, t0 + 2s));
    ASSERT_TRUE(coupons.redeem(other, first.code, t0 + 3s));
    auto records = billing::coupon_records(db(), account, 10);
    ASSERT_TRUE(records) << records.error().message;
    ASSERT_EQ(records->size(), 2u);
    EXPECT_EQ((*records)[0].coupon_id, second.id);
    EXPECT_EQ((*records)[0].amount_fen, 300);
    EXPECT_EQ((*records)[0].code_hint, second.code.substr(0, 4));
    EXPECT_EQ((*records)[1].amount_fen, 500);
    EXPECT_EQ((*records)[1].redeemed_at, t0 + 1s);
}

}  // namespace
}  // namespace idpd::conformance
