-- 0024: coupons (server/billing/coupon_store.cpp). An operator creates a coupon (amount, validity
-- window, total uses); its code is shown once and stored only as SHA-256 (code_hash) with the
-- first four characters (code_hint) for the records. used_count rises by one conditional UPDATE
-- (`WHERE used_count < total_uses`), and billing_coupon_redemptions' primary key lets each
-- account redeem a coupon once; both commit with the ledger row that credits the balance.
CREATE TABLE IF NOT EXISTS billing_coupons (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code_hash VARBINARY(32) NOT NULL,
    code_hint VARCHAR(8) NOT NULL,
    amount_fen BIGINT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    total_uses BIGINT NOT NULL,
    used_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE KEY billing_coupons_code (code_hash),
    CONSTRAINT billing_coupons_uses CHECK (used_count <= total_uses)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS billing_coupon_redemptions (
    coupon_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    ledger_id BIGINT NOT NULL,
    redeemed_at BIGINT NOT NULL,
    PRIMARY KEY (coupon_id, account_id),
    KEY billing_coupon_redemptions_account (account_id, redeemed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
