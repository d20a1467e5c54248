#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "billing/error.h"
#include "billing/ledger.h"
#include "store/database.h"

namespace idpd::billing {

struct NewCoupon {
    std::int64_t amount_fen = 0;  // credited on each redemption
    std::chrono::sys_seconds valid_from{};
    std::chrono::sys_seconds valid_until{};  // redeemable while valid_from <= now < valid_until
    std::int64_t total_uses = 1;             // across all accounts
};

struct CreatedCoupon {
    std::int64_t id = 0;
    std::string code;  // shown once to the operator; stored only as its SHA-256
};

struct Redemption {
    std::int64_t coupon_id = 0;
    Entry entry;  // the ledger row that credited the balance
};

// Coupons: created by operators, redeemed by code into one account's balance, at most once per
// account and at most total_uses times in all.
class CouponStore {
public:
    explicit CouponStore(store::Database& db) : db_(db) {}

    // A new coupon with a fresh random code: 16 characters of A–Z and 2–9 without look-alikes,
    // in groups of four ("K7QW-3MZP-…"). Errors: invalid (amount, window or uses), unavailable.
    Result<CreatedCoupon> create(const NewCoupon& coupon, std::chrono::sys_seconds now);

    // Credits the coupon's amount to `account_id`, in one transaction with its use count and the
    // account's redemption record. The code is read ignoring case, spaces and dashes.
    // Errors: not_found (unknown code), invalid (not valid yet, expired), conflict (used up,
    // or already redeemed by this account), unavailable.
    Result<Redemption> redeem(std::int64_t account_id, std::string_view code,
                              std::chrono::sys_seconds now);

private:
    store::Database& db_;
};

}  // namespace idpd::billing
