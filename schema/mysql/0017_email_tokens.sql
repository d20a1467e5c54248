-- 0017: single-use links sent by email (server/account/email_token_store.cpp): email
-- verification (2 hours) and password reset (30 minutes). Only the SHA-256 of the link's token
-- is stored; used_at is set by the one UPDATE that redeems it.
CREATE TABLE IF NOT EXISTS email_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash VARBINARY(32) NOT NULL,
    purpose VARCHAR(16) NOT NULL,
    user_id BIGINT NOT NULL,
    email VARCHAR(254) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    UNIQUE KEY email_tokens_token_hash (token_hash),
    KEY email_tokens_user (user_id, purpose, created_at),
    KEY email_tokens_expires_at (expires_at),
    CONSTRAINT email_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
