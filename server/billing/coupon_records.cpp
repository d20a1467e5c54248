#include "billing/coupon_records.h"

namespace idpd::billing {

Result<std::vector<CouponRecord>> coupon_records(store::Database& db, std::int64_t account_id,
                                                 std::size_t limit) {
    auto rows = db.query(
        "SELECT r.coupon_id, c.code_hint, l.amount_fen, r.ledger_id, r.redeemed_at FROM "
        "billing_coupon_redemptions r JOIN billing_coupons c ON c.id = r.coupon_id JOIN "
        "billing_ledger l ON l.id = r.ledger_id WHERE r.account_id = ? "
        "ORDER BY r.redeemed_at DESC, r.coupon_id DESC LIMIT ?",
        {account_id, static_cast<std::int64_t>(limit)});
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<CouponRecord> records;
    for (const auto& row : *rows) {
        records.push_back(
            CouponRecord{row.integer(0), row.text(1), row.integer(2), row.integer(3),
                         std::chrono::sys_seconds{std::chrono::seconds{row.integer(4)}}});
    }
    return records;
}

}  // namespace idpd::billing
