#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "billing/error.h"
#include "store/database.h"

namespace idpd::billing {

// One coupon an account redeemed, as its records show it: never the code, only its first
// four characters.
struct CouponRecord {
    std::int64_t coupon_id = 0;
    std::string code_hint;
    std::int64_t amount_fen = 0;  // what the redemption credited
    std::int64_t ledger_id = 0;   // the ledger row of that credit
    std::chrono::sys_seconds redeemed_at{};
};

// The account's redemptions, newest first, at most `limit`. Errors: unavailable.
Result<std::vector<CouponRecord>> coupon_records(store::Database& db, std::int64_t account_id,
                                                 std::size_t limit);

}  // namespace idpd::billing
