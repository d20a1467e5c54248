-- 0026: the account center (web/account_*_pages.h).
-- signin_history: the last sign-ins of each account, successful or not, as the Security tab
-- shows them (auth/signin_history_store.h keeps the newest 50 per user). device is the
-- User-Agent reduced to browser and OS; method names the first factor (password, an upstream)
-- and a second one (totp).
CREATE TABLE signin_history (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    occurred_at INTEGER NOT NULL,
    ip TEXT NOT NULL,
    device TEXT NOT NULL,
    method TEXT NOT NULL,
    success INTEGER NOT NULL
);

CREATE INDEX signin_history_user ON signin_history (user_id, id);

-- username_changes: each rename, for the cooldown ([account] username_change_cooldown) and
-- for the records (the old name).
CREATE TABLE username_changes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    old_username TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);

CREATE INDEX username_changes_user ON username_changes (user_id, changed_at);

-- step_up_codes: 6-digit codes mailed to pass the step-up check without a password or TOTP
-- (web/verify_pages.h), for accounts made through an upstream. SHA-256 of "<user_id>:<code>";
-- single use (used_at), 10 minutes, at most 5 wrong tries each, throttled per user.
CREATE TABLE step_up_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX step_up_codes_user ON step_up_codes (user_id, id);
