-- 0017: single-use links sent by email (server/account/email_token_store.cpp): email
-- verification (2 hours) and password reset (30 minutes). Only the SHA-256 of the link's token
-- is stored; used_at is set by the one UPDATE that redeems it.
CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose, created_at);
CREATE INDEX email_tokens_expires_at ON email_tokens (expires_at);
