-- 0023: billing accounts and their ledger (server/billing/account_store.cpp, ledger.cpp).
-- billing_accounts: one per owner — owner_kind 'user' or 'org' and that owner's id — with its
-- own plan, quota period and balance; nothing moves between accounts. balance_fen is integer
-- fen (1 yuan = 100 fen) and never negative: a debit is `UPDATE … WHERE balance_fen >= ?`, and
-- the CHECK refuses anything that slips past. next_plan is a downgrade waiting for period_end.
-- Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS billing_accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner_kind VARCHAR(8) NOT NULL,
    owner_id BIGINT NOT NULL,
    balance_fen BIGINT NOT NULL DEFAULT 0,
    plan VARCHAR(32) NOT NULL,
    next_plan VARCHAR(32) NULL,
    period_start BIGINT NOT NULL,
    period_end BIGINT NOT NULL,
    quota_used BIGINT NOT NULL DEFAULT 0,
    bonus_quota BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE KEY billing_accounts_owner (owner_kind, owner_id),
    KEY billing_accounts_period_end (period_end),
    CONSTRAINT billing_accounts_balance_not_negative CHECK (balance_fen >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- billing_ledger: every change of a balance, written in the transaction that changes it.
-- amount_fen is signed (credit > 0, debit < 0); balance_after_fen is the balance right after.
-- idempotency_key is unique per account: a replayed request finds the first row and pays
-- nothing twice. No foreign key to billing_accounts: the ledger is never deleted.
CREATE TABLE IF NOT EXISTS billing_ledger (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    type VARCHAR(32) NOT NULL,
    amount_fen BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL,
    reference VARCHAR(128) NOT NULL DEFAULT '',
    idempotency_key VARCHAR(128) NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY billing_ledger_idempotency (account_id, idempotency_key),
    KEY billing_ledger_account (account_id, id),
    KEY billing_ledger_account_type (account_id, type, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
