-- 0011: sign-in throttling (server/auth/login_throttle.cpp) and the security audit log
-- (server/audit/audit_log.cpp).
-- login_failures: one row per throttled subject — an account (the canonical identifier as typed,
-- or the user id) or a client IP. subject_hash is SHA-256 of "account:…", "user:…" or "ip:…", so
-- the table holds no typed text (people type passwords into the name field). failures is raised
-- by one UPSERT; not_before_ms is when the next attempt may be tried. Times are epoch
-- milliseconds (the quick-login check compares failures 1 s apart).
CREATE TABLE login_failures (
    subject_hash BLOB NOT NULL PRIMARY KEY,
    scope TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL,
    previous_failure_ms INTEGER NOT NULL,
    not_before_ms INTEGER NOT NULL
);

CREATE INDEX login_failures_last_failure ON login_failures (last_failure_ms);

-- audit_events: security events (sign-up, sign-in success/failure/throttled, sign-out, session
-- revoke, …), newest last by id. identifier is what was typed on a failed sign-in, never a
-- password. detail is a JSON object. occurred_at is epoch seconds, UTC.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at INTEGER NOT NULL,
    type TEXT NOT NULL,
    user_id INTEGER,
    identifier TEXT,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_type ON audit_events (type, id);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);
