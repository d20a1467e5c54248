-- 0037: the claims parameter through the code and the refresh family, and quota usage reports
-- (issue 7 item 8).
-- authorization_codes.id_token_claims / refresh_token_families.id_token_claims: the standard
-- claims the claims parameter asked for in the ID token (OIDC Core §5.5), space-separated.
-- billing_quota_reports: one row per (account, idempotency key) a relying service reported
-- usage under; the primary key makes a report count exactly once, and it commits with the
-- account's quota_used.
ALTER TABLE authorization_codes ADD COLUMN id_token_claims TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_token_families ADD COLUMN id_token_claims TEXT NOT NULL DEFAULT '';

CREATE TABLE billing_quota_reports (
    account_id INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    units INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);
