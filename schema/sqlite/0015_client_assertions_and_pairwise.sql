-- 0015: private_key_jwt and pairwise subjects (server/oidc/client_assertion_jti_store.cpp,
-- server/oidc/subject_mapper.cpp).
-- client_assertion_jtis: the jti of every client assertion accepted (RFC 7523 §3 item 7: a jti
-- may be used once), as SHA-256 so any length fits the key; the PRIMARY KEY decides a replay
-- race between processes. Rows live until the assertion's exp; the janitor deletes them after.
-- pairwise_subjects: the pairwise sub (OIDC Core §8.1) a client received for a user, so a token
-- carrying it can still be read as that user (/userinfo). The sub is a one-way hash; this table
-- is the only way back. Times are epoch seconds, UTC.
CREATE TABLE client_assertion_jtis (
    client_id TEXT NOT NULL,
    jti_hash BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, jti_hash)
);

CREATE INDEX client_assertion_jtis_expires_at ON client_assertion_jtis (expires_at);

CREATE TABLE pairwise_subjects (
    subject TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sector TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
