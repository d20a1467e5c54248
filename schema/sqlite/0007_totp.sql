-- 0007: two-step verification (server/auth/totp_store.cpp): one TOTP secret per user and
-- their recovery codes.
-- totp_secrets.secret is the 160-bit RFC 6238 secret sealed with AES-256-GCM under the master
-- key (jose::seal, additional data "totp:<user id>"), so a database copy alone yields no code.
-- state is 'pending' until the first valid code, then 'active'; disabling deletes the row.
-- last_step is the last RFC 6238 time step accepted: a code is taken only for a later step, by
-- a conditional UPDATE, so every code works once. failed_attempts and locked_until throttle
-- guessing (recovery codes count too). recovery_codes holds HMAC-SHA-256 of each code under a
-- key derived from the master key; used_at marks one spent. Times are epoch seconds, UTC.
CREATE TABLE totp_secrets (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active')),
    last_step INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    activated_at INTEGER
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER,
    CONSTRAINT recovery_codes_user_hash UNIQUE (user_id, code_hash)
);
