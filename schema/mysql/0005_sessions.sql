-- 0005: browser sign-in sessions (server/auth/session_store.cpp).
-- The cookie carries 256 random bits; only their SHA-256 is stored (token_hash), so a copy of
-- the database signs nobody in. A session ends at the first of: idle_expires_at (moved forward
-- as the browser is seen, by idle_timeout), expires_at (the absolute limit, fixed at sign-in),
-- or revoked_at (sign-out, revoke from the account page). auth_time and amr are what the OIDC
-- ID token reports about this sign-in. Expired and revoked rows are deleted by the store's
-- cleanup after they end. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS sessions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash VARBINARY(32) NOT NULL,
    user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    idle_timeout BIGINT NOT NULL,
    idle_expires_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    persistent TINYINT NOT NULL DEFAULT 0,
    ip VARCHAR(45) NOT NULL DEFAULT '',
    user_agent VARCHAR(512) NOT NULL DEFAULT '',
    auth_time BIGINT NOT NULL,
    amr VARCHAR(64) NOT NULL DEFAULT '',
    revoked_at BIGINT NULL,
    UNIQUE KEY sessions_token_hash (token_hash),
    KEY sessions_user (user_id, revoked_at),
    KEY sessions_expires_at (expires_at),
    CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
