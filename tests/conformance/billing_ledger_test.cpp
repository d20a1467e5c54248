// billing ledger on every backend: balance and ledger row change together, a debit never takes
// a balance below zero, an idempotency key pays once, and racing threads leave exact sums
// (50 top-ups of 1.00 → +50.00 and 50 rows; 20 charges of 1.00 on 10.00 → exactly 10).
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "billing/account_store.h"
#include "billing/ledger.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using billing::EntryType;
using billing::Posting;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

std::int64_t open_account(store::Database& db, std::int64_t owner_id,
                          billing::OwnerKind kind = billing::OwnerKind::user) {
    auto account = billing::AccountStore(db).open({kind, owner_id}, "free-2x", t0);
    EXPECT_TRUE(account) << account.error().message;
    return account ? account->id : 0;
}

Posting posting(std::int64_t account, EntryType type, std::int64_t fen, std::string key) {
    return Posting{account, type, fen, "test", std::move(key)};
}

std::int64_t balance(store::Database& db, std::int64_t account) {
    return billing::AccountStore(db).get(account).value().balance_fen;
}

void expect_ledger_matches_balance(store::Database& db, std::int64_t account) {
    auto sum = billing::ledger_sum(db, account);
    ASSERT_TRUE(sum);
    EXPECT_EQ(*sum, balance(db, account));
}

TEST_P(StoreTest, BillingAccountsAreOnePerOwnerAndStartFreeWithNothing) {
    billing::AccountStore accounts(db());
    auto alice = accounts.open({billing::OwnerKind::user, 7}, "free-2x", t0);
    ASSERT_TRUE(alice) << alice.error().message;
    EXPECT_EQ(alice->balance_fen, 0);
    EXPECT_EQ(alice->plan, "free-2x");
    EXPECT_EQ(alice->period_start, t0);
    EXPECT_EQ(alice->period_end, billing::add_month(t0));
    auto again = accounts.open({billing::OwnerKind::user, 7}, "free-2x", t0);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, alice->id);
    // The organization with the same number is another owner, with its own account.
    auto org = accounts.open({billing::OwnerKind::org, 7}, "free-2x", t0);
    ASSERT_TRUE(org);
    EXPECT_NE(org->id, alice->id);
    EXPECT_EQ(accounts.find({billing::OwnerKind::user, 8}).error().kind,
              billing::Error::Kind::not_found);
}

TEST_P(StoreTest, LedgerRowsCarryTheBalanceAfterAndDebitsStopAtZero) {
    const auto account = open_account(db(), 1);
    auto topped = billing::credit(db(), posting(account, EntryType::top_up, 1000, "k1"), t0);
    ASSERT_TRUE(topped) << topped.error().message;
    EXPECT_EQ(topped->amount_fen, 1000);
    EXPECT_EQ(topped->balance_after_fen, 1000);
    auto charged = billing::debit(db(), posting(account, EntryType::charge, 400, "k2"), t0);
    ASSERT_TRUE(charged);
    EXPECT_EQ(charged->amount_fen, -400);
    EXPECT_EQ(charged->balance_after_fen, 600);
    auto too_much = billing::debit(db(), posting(account, EntryType::charge, 601, "k3"), t0);
    ASSERT_FALSE(too_much);
    EXPECT_EQ(too_much.error().kind, billing::Error::Kind::insufficient_balance);
    EXPECT_EQ(balance(db(), account), 600);
    auto exact = billing::debit(db(), posting(account, EntryType::charge, 600, "k3"), t0);
    ASSERT_TRUE(exact);
    EXPECT_EQ(exact->balance_after_fen, 0);
    auto page = billing::list_entries(db(), account, {});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 3u);
    EXPECT_EQ(page->entries.front().idempotency_key, "k3");  // newest first
    expect_ledger_matches_balance(db(), account);
}

TEST_P(StoreTest, LedgerRefusesBadPostingsAndWritesNothing) {
    const auto account = open_account(db(), 1);
    EXPECT_EQ(billing::credit(db(), posting(account, EntryType::top_up, 0, "a"), t0).error().kind,
              billing::Error::Kind::invalid);
    EXPECT_EQ(billing::credit(db(), posting(account, EntryType::top_up, -5, "a"), t0).error().kind,
              billing::Error::Kind::invalid);
    EXPECT_EQ(billing::credit(db(), posting(account, EntryType::top_up, 5, ""), t0).error().kind,
              billing::Error::Kind::invalid);
    EXPECT_EQ(billing::credit(db(), posting(account, EntryType::top_up, 5, "a b"), t0).error().kind,
              billing::Error::Kind::invalid);
    EXPECT_EQ(
        billing::credit(db(), posting(account + 99, EntryType::top_up, 5, "a"), t0).error().kind,
        billing::Error::Kind::not_found);
    EXPECT_EQ(billing::list_entries(db(), account, {}).value().total, 0u);
    EXPECT_EQ(balance(db(), account), 0);
}

TEST_P(StoreTest, ReplayingAnIdempotencyKeyReturnsTheFirstResultAndPaysOnce) {
    const auto account = open_account(db(), 1);
    auto first = billing::credit(db(), posting(account, EntryType::top_up, 500, "order-1"), t0);
    ASSERT_TRUE(first);
    auto again = billing::credit(db(), posting(account, EntryType::top_up, 500, "order-1"), t0);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(again->balance_after_fen, 500);
    EXPECT_EQ(balance(db(), account), 500);
    // The same key for a different payment is refused, not silently taken as a replay.
    auto different = billing::credit(db(), posting(account, EntryType::top_up, 900, "order-1"), t0);
    ASSERT_FALSE(different);
    EXPECT_EQ(different.error().kind, billing::Error::Kind::conflict);
    // Keys are per account: another account may use the same one.
    const auto other = open_account(db(), 2);
    ASSERT_TRUE(billing::credit(db(), posting(other, EntryType::top_up, 100, "order-1"), t0));
    EXPECT_EQ(balance(db(), account), 500);
    EXPECT_EQ(balance(db(), other), 100);
}

// Runs `body(i)` on `n` threads at once.
template <class Body>
void race(int n, Body body) {
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            body(i);
        });
    }
    go = true;
    for (auto& t : threads) {
        t.join();
    }
}

TEST_P(StoreTest, FiftyParallelTopUpsAddExactlyFiftyYuanAndFiftyRows) {
    const auto account = open_account(db(), 1);
    std::atomic<int> ok{0};
    race(50, [&](int i) {
        auto r = billing::credit(
            db(), posting(account, EntryType::top_up, 100, "top-" + std::to_string(i)), t0);
        if (r) {
            ++ok;
        } else {
            ADD_FAILURE() << r.error().message;
        }
    });
    EXPECT_EQ(ok.load(), 50);
    EXPECT_EQ(balance(db(), account), 5000);
    EXPECT_EQ(billing::list_entries(db(), account, {}).value().total, 50u);
    expect_ledger_matches_balance(db(), account);
}

TEST_P(StoreTest, TwentyParallelChargesOnTenYuanExactlyTenSucceed) {
    const auto account = open_account(db(), 1);
    ASSERT_TRUE(billing::credit(db(), posting(account, EntryType::top_up, 1000, "seed"), t0));
    std::atomic<int> ok{0};
    std::atomic<int> short_of_money{0};
    race(20, [&](int i) {
        auto r = billing::debit(
            db(), posting(account, EntryType::charge, 100, "charge-" + std::to_string(i)), t0);
        if (r) {
            ++ok;
        } else if (r.error().kind == billing::Error::Kind::insufficient_balance) {
            ++short_of_money;
        } else {
            ADD_FAILURE() << r.error().message;
        }
    });
    EXPECT_EQ(ok.load(), 10);
    EXPECT_EQ(short_of_money.load(), 10);
    EXPECT_EQ(balance(db(), account), 0);
    EXPECT_EQ(billing::list_entries(db(), account, {}).value().total, 11u);
    expect_ledger_matches_balance(db(), account);
}

TEST_P(StoreTest, TenParallelReplaysOfOneKeyPayOnce) {
    const auto account = open_account(db(), 1);
    std::atomic<int> fresh{0};
    race(10, [&](int) {
        auto r = billing::credit(db(), posting(account, EntryType::top_up, 700, "same"), t0);
        if (!r) {
            ADD_FAILURE() << r.error().message;
        } else if (!r->replayed) {
            ++fresh;
        }
    });
    EXPECT_EQ(fresh.load(), 1);
    EXPECT_EQ(balance(db(), account), 700);
    expect_ledger_matches_balance(db(), account);
}

}  // namespace
}  // namespace idpd::conformance
