-- 0025: top-up orders (server/billing/order_store.cpp). A person creates a pending order
-- (amount, channel: alipay, wechatpay or bank) for one billing account; the channel's payment
-- notice, or an operator for a bank transfer, marks it paid with one conditional UPDATE
-- (`WHERE status <> 'paid'`) in the transaction that writes the ledger row (key "order:<no>"),
-- so it credits exactly once. Unpaid orders become 'expired' at expires_at (the janitor).
-- idempotency_key is the creating request's Idempotency-Key, unique per account when given.
CREATE TABLE IF NOT EXISTS billing_orders (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_no VARCHAR(32) NOT NULL,
    account_id BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    channel VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    idempotency_key VARCHAR(128) NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    paid_at BIGINT NULL,
    channel_txn VARCHAR(64) NULL,
    UNIQUE KEY billing_orders_no (order_no),
    UNIQUE KEY billing_orders_idempotency (account_id, idempotency_key),
    KEY billing_orders_account (account_id, id),
    KEY billing_orders_pending (status, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
