-- 0006: authorization codes (server/oidc/authorization_code_store.cpp), RFC 6749 §4.1.2.
-- The code given to the browser is 256 random bits; only its SHA-256 is stored (code_hash), so a
-- copy of the database redeems nothing. A code lives 60 s (expires_at) and is redeemed once:
-- used_at is set by one UPDATE ... WHERE used_at IS NULL, whose affected-row count decides a race.
-- access_token_hash (opaque) or access_token_jti (JWT) names the access token issued from the
-- code, so a replay can revoke it (RFC 6749 §4.1.2). Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS authorization_codes (
    code_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    client_id VARCHAR(255) NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT NULL,
    code_challenge VARCHAR(128) NOT NULL,
    user_id BIGINT NOT NULL,
    sid VARCHAR(64) NOT NULL,
    auth_time BIGINT NOT NULL,
    amr VARCHAR(64) NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    access_token_hash VARBINARY(32) NULL,
    access_token_jti VARCHAR(64) NULL,
    access_token_expires_at BIGINT NULL,
    KEY authorization_codes_expires_at (expires_at),
    CONSTRAINT authorization_codes_client FOREIGN KEY (client_id) REFERENCES clients (client_id)
        ON DELETE CASCADE,
    CONSTRAINT authorization_codes_user FOREIGN KEY (user_id) REFERENCES users (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
