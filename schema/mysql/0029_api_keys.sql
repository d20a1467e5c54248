-- 0029: API keys (server/account/api_keys.cpp). The secret ("idk_" + 43 characters) is shown
-- once; only its HMAC-SHA-256 under a key derived from the master key is stored. scopes is
-- space-separated; org_id limits the key to one organization (no foreign key: organizations
-- live in another migration). last_used_* is updated at most once a minute.
CREATE TABLE IF NOT EXISTS api_keys (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    name VARCHAR(255) NOT NULL,
    secret_hash VARBINARY(32) NOT NULL,
    hint VARCHAR(16) NOT NULL,
    scopes VARCHAR(255) NOT NULL,
    org_id BIGINT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NULL,
    revoked_at BIGINT NULL,
    last_used_at BIGINT NULL,
    last_used_ip VARCHAR(64) NULL,
    UNIQUE KEY api_keys_secret_hash (secret_hash),
    KEY api_keys_user (user_id, created_at),
    CONSTRAINT api_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
