-- 0037: the claims parameter through the code and the refresh family, and quota usage reports
-- (issue 7 item 8).
-- authorization_codes.id_token_claims / refresh_token_families.id_token_claims: the standard
-- claims the claims parameter asked for in the ID token (OIDC Core §5.5), space-separated.
-- billing_quota_reports: one row per (account, idempotency key) a relying service reported
-- usage under; the primary key makes a report count exactly once, and it commits with the
-- account's quota_used.
-- IF NOT EXISTS: MySQL DDL commits implicitly, so the file must be safe to re-run.
ALTER TABLE authorization_codes ADD COLUMN IF NOT EXISTS id_token_claims VARCHAR(512) NOT NULL DEFAULT '';
ALTER TABLE refresh_token_families ADD COLUMN IF NOT EXISTS id_token_claims VARCHAR(512) NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS billing_quota_reports (
    account_id BIGINT NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    units BIGINT NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
