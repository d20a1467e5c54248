-- 0023: billing accounts and their ledger (server/billing/account_store.cpp, ledger.cpp).
-- billing_accounts: one per owner — owner_kind 'user' or 'org' and that owner's id — with its
-- own plan, quota period and balance; nothing moves between accounts. balance_fen is integer
-- fen (1 yuan = 100 fen) and never negative: a debit is `UPDATE … WHERE balance_fen >= ?`, and
-- the CHECK refuses anything that slips past. next_plan is a downgrade waiting for period_end.
-- Times are epoch seconds, UTC.
CREATE TABLE billing_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
    plan TEXT NOT NULL,
    next_plan TEXT,
    period_start INTEGER NOT NULL,
    period_end INTEGER NOT NULL,
    quota_used INTEGER NOT NULL DEFAULT 0,
    bonus_quota INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (owner_kind, owner_id)
);

CREATE INDEX billing_accounts_period_end ON billing_accounts (period_end);

-- billing_ledger: every change of a balance, written in the transaction that changes it.
-- amount_fen is signed (credit > 0, debit < 0); balance_after_fen is the balance right after.
-- idempotency_key is unique per account: a replayed request finds the first row and pays
-- nothing twice. The ledger is never deleted.
CREATE TABLE billing_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    balance_after_fen INTEGER NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, idempotency_key)
);

CREATE INDEX billing_ledger_account ON billing_ledger (account_id, id);
CREATE INDEX billing_ledger_account_type ON billing_ledger (account_id, type, id);
