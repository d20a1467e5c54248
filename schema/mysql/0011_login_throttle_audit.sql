-- 0011: sign-in throttling (server/auth/login_throttle.cpp) and the security audit log
-- (server/audit/audit_log.cpp).
-- login_failures: one row per throttled subject — an account (the canonical identifier as typed,
-- or the user id) or a client IP. subject_hash is SHA-256 of "account:…", "user:…" or "ip:…", so
-- the table holds no typed text (people type passwords into the name field). failures is raised
-- by one UPSERT; not_before_ms is when the next attempt may be tried. Times are epoch
-- milliseconds (the quick-login check compares failures 1 s apart).
CREATE TABLE IF NOT EXISTS login_failures (
    subject_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    scope VARCHAR(16) NOT NULL,
    failures BIGINT NOT NULL,
    last_failure_ms BIGINT NOT NULL,
    previous_failure_ms BIGINT NOT NULL,
    not_before_ms BIGINT NOT NULL,
    KEY login_failures_last_failure (last_failure_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- audit_events: security events (sign-up, sign-in success/failure/throttled, sign-out, session
-- revoke, …), newest last by id. identifier is what was typed on a failed sign-in, never a
-- password. detail is a JSON object. occurred_at is epoch seconds, UTC. No foreign key on
-- user_id: the log outlives the accounts it names.
CREATE TABLE IF NOT EXISTS audit_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    type VARCHAR(64) NOT NULL,
    user_id BIGINT NULL,
    identifier VARCHAR(255) NULL,
    ip VARCHAR(45) NOT NULL DEFAULT '',
    user_agent VARCHAR(256) NOT NULL DEFAULT '',
    detail TEXT NOT NULL,
    KEY audit_events_user (user_id, id),
    KEY audit_events_type (type, id),
    KEY audit_events_occurred_at (occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
