-- 0015: private_key_jwt and pairwise subjects (server/oidc/client_assertion_jti_store.cpp,
-- server/oidc/subject_mapper.cpp).
-- client_assertion_jtis: the jti of every client assertion accepted (RFC 7523 §3 item 7: a jti
-- may be used once), as SHA-256 so any length fits the key; the PRIMARY KEY decides a replay
-- race between processes. Rows live until the assertion's exp; the janitor deletes them after.
-- pairwise_subjects: the pairwise sub (OIDC Core §8.1) a client received for a user, so a token
-- carrying it can still be read as that user (/userinfo). The sub is a one-way hash; this table
-- is the only way back. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS client_assertion_jtis (
    client_id VARCHAR(255) NOT NULL,
    jti_hash VARBINARY(32) NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti_hash),
    KEY client_assertion_jtis_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS pairwise_subjects (
    subject VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    sector VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT pairwise_subjects_user FOREIGN KEY (user_id) REFERENCES users (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
