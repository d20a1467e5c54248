-- 0025: top-up orders (server/billing/order_store.cpp). A person creates a pending order
-- (amount, channel: alipay, wechatpay or bank) for one billing account; the channel's payment
-- notice, or an operator for a bank transfer, marks it paid with one conditional UPDATE
-- (`WHERE status <> 'paid'`) in the transaction that writes the ledger row (key "order:<no>"),
-- so it credits exactly once. Unpaid orders become 'expired' at expires_at (the janitor).
-- idempotency_key is the creating request's Idempotency-Key, unique per account when given.
CREATE TABLE billing_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    idempotency_key TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    paid_at INTEGER,
    channel_txn TEXT,
    UNIQUE (account_id, idempotency_key)
);

CREATE INDEX billing_orders_account ON billing_orders (account_id, id);
CREATE INDEX billing_orders_pending ON billing_orders (status, expires_at);
