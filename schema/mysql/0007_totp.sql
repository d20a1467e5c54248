-- 0007: two-step verification (server/auth/totp_store.cpp): one TOTP secret per user and
-- their recovery codes.
-- totp_secrets.secret is the 160-bit RFC 6238 secret sealed with AES-256-GCM under the master
-- key (jose::seal, additional data "totp:<user id>"), so a database copy alone yields no code.
-- state is 'pending' until the first valid code, then 'active'; disabling deletes the row.
-- last_step is the last RFC 6238 time step accepted: a code is taken only for a later step, by
-- a conditional UPDATE, so every code works once. failed_attempts and locked_until throttle
-- guessing (recovery codes count too). recovery_codes holds HMAC-SHA-256 of each code under a
-- key derived from the master key; used_at marks one spent. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS totp_secrets (
    user_id BIGINT NOT NULL PRIMARY KEY,
    secret VARBINARY(128) NOT NULL,
    state VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'active')),
    last_step BIGINT NOT NULL DEFAULT 0,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    activated_at BIGINT NULL,
    CONSTRAINT totp_secrets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS recovery_codes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    code_hash VARBINARY(32) NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    UNIQUE KEY recovery_codes_user_hash (user_id, code_hash),
    CONSTRAINT recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
