-- 0024: coupons (server/billing/coupon_store.cpp). An operator creates a coupon (amount, validity
-- window, total uses); its code is shown once and stored only as SHA-256 (code_hash) with the
-- first four characters (code_hint) for the records. used_count rises by one conditional UPDATE
-- (`WHERE used_count < total_uses`), and billing_coupon_redemptions' primary key lets each
-- account redeem a coupon once; both commit with the ledger row that credits the balance.
CREATE TABLE billing_coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash BLOB NOT NULL UNIQUE,
    code_hint TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    total_uses INTEGER NOT NULL,
    used_count INTEGER NOT NULL DEFAULT 0 CHECK (used_count <= total_uses),
    created_at INTEGER NOT NULL
);

CREATE TABLE billing_coupon_redemptions (
    coupon_id INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    ledger_id INTEGER NOT NULL,
    redeemed_at INTEGER NOT NULL,
    PRIMARY KEY (coupon_id, account_id)
);

CREATE INDEX billing_coupon_redemptions_account ON billing_coupon_redemptions (account_id, redeemed_at);
