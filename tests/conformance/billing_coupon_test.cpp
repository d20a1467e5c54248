// billing coupons on every backend: redeemed into the balance with a ledger row, once per
// account, never beyond total uses (20 racing redemptions of a single-use coupon: exactly one
// success), refused before and after the validity window and for unknown codes.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "billing/account_store.h"
#include "billing/coupon_store.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using billing::CouponStore;
using billing::Error;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

std::int64_t account_of(store::Database& db, std::int64_t owner) {
    return billing::AccountStore(db)
        .open({billing::OwnerKind::user, owner}, "free-2x", t0)
        .value()
        .id;
}

std::int64_t balance(store::Database& db, std::int64_t account) {
    return billing::AccountStore(db).get(account).value().balance_fen;
}

billing::NewCoupon coupon(std::int64_t fen, std::int64_t uses) {
    return {fen, t0, t0 + 24h * 30, uses};
}

TEST_P(StoreTest, ACouponCreditsTheBalanceOncePerAccount) {
    CouponStore coupons(db());
    auto created = coupons.create(coupon(1'000, 5), t0);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->code.size(), 19u);  // XXXX-XXXX-XXXX-XXXX
    const auto alice = account_of(db(), 1);
    auto redeemed = coupons.redeem(alice, created->code, t0 + 1h);
    ASSERT_TRUE(redeemed) << redeemed.error().message;
    EXPECT_EQ(redeemed->entry.type, "coupon");
    EXPECT_EQ(redeemed->entry.amount_fen, 1'000);
    EXPECT_EQ(balance(db(), alice), 1'000);
    auto twice = coupons.redeem(alice, created->code, t0 + 2h);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, Error::Kind::conflict);
    EXPECT_NE(twice.error().message.find("already redeemed"), std::string::npos);
    EXPECT_EQ(balance(db(), alice), 1'000);
    // Typed in lower case with spaces, by another account: accepted.
    std::string typed;
    for (char c : created->code) {
        typed.push_back(c == '-' ? ' ' : static_cast<char>(std::tolower(c)));
    }
    const auto bob = account_of(db(), 2);
    ASSERT_TRUE(coupons.redeem(bob, typed, t0 + 1h));
    EXPECT_EQ(balance(db(), bob), 1'000);
    EXPECT_EQ(billing::ledger_sum(db(), bob).value(), 1'000);
}

TEST_P(StoreTest, CouponsAreRefusedOutsideTheirWindowWhenUsedUpOrUnknown) {
    CouponStore coupons(db());
    const auto code = coupons.create(coupon(500, 1), t0).value().code;
    const auto alice = account_of(db(), 1);
    const auto bob = account_of(db(), 2);
    auto early = coupons.redeem(alice, code, t0 - 1s);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().message, "this coupon is not valid yet");
    auto late = coupons.redeem(alice, code, t0 + 24h * 30);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().message, "this coupon has expired");
    ASSERT_TRUE(coupons.redeem(alice, code, t0));
    auto exhausted = coupons.redeem(bob, code, t0);
    ASSERT_FALSE(exhausted);
    EXPECT_EQ(exhausted.error().message, "this coupon has been used up");
    EXPECT_EQ(balance(db(), bob), 0);
    EXPECT_EQ(coupons.redeem(bob, "AAAA-BBBB-CCCC-DDDD", t0).error().kind, Error::Kind::not_found);
    EXPECT_EQ(coupons.redeem(bob, "", t0).error().kind, Error::Kind::not_found);
    EXPECT_EQ(coupons.create(coupon(0, 1), t0).error().kind, Error::Kind::invalid);
    EXPECT_EQ(coupons.create(coupon(100, 0), t0).error().kind, Error::Kind::invalid);
    EXPECT_EQ(coupons.create({100, t0, t0, 1}, t0).error().kind, Error::Kind::invalid);
}

TEST_P(StoreTest, TwentyRacingRedemptionsOfASingleUseCouponHaveOneWinner) {
    CouponStore coupons(db());
    const auto code = coupons.create(coupon(800, 1), t0).value().code;
    std::vector<std::int64_t> accounts;
    for (int i = 0; i < 20; ++i) {
        accounts.push_back(account_of(db(), 100 + i));
    }
    std::atomic<bool> go{false};
    std::atomic<int> won{0};
    std::atomic<int> used_up{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            auto r = coupons.redeem(accounts[i], code, t0);
            if (r) {
                ++won;
            } else if (r.error().kind == Error::Kind::conflict) {
                ++used_up;
            } else {
                ADD_FAILURE() << r.error().message;
            }
        });
    }
    go = true;
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(used_up.load(), 19);
    std::int64_t total = 0;
    for (auto id : accounts) {
        total += balance(db(), id);
        EXPECT_EQ(billing::ledger_sum(db(), id).value(), balance(db(), id));
    }
    EXPECT_EQ(total, 800);
}

TEST_P(StoreTest, OneAccountRacingItselfRedeemsOnce) {
    CouponStore coupons(db());
    const auto code = coupons.create(coupon(300, 100), t0).value().code;
    const auto alice = account_of(db(), 1);
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&] {
            if (coupons.redeem(alice, code, t0)) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(balance(db(), alice), 300);
}

}  // namespace
}  // namespace idpd::conformance
