-- 0005: browser sign-in sessions (server/auth/session_store.cpp).
-- The cookie carries 256 random bits; only their SHA-256 is stored (token_hash), so a copy of
-- the database signs nobody in. A session ends at the first of: idle_expires_at (moved forward
-- as the browser is seen, by idle_timeout), expires_at (the absolute limit, fixed at sign-in),
-- or revoked_at (sign-out, revoke from the account page). auth_time and amr are what the OIDC
-- ID token reports about this sign-in. Times are epoch seconds, UTC.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    idle_timeout INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    persistent INTEGER NOT NULL DEFAULT 0,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    auth_time INTEGER NOT NULL,
    amr TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER,
    CONSTRAINT sessions_token_hash UNIQUE (token_hash)
);

CREATE INDEX sessions_user ON sessions (user_id, revoked_at);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
