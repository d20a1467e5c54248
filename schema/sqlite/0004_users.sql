-- 0004: local accounts (design.md §2 Accounts) and their email addresses.
-- users.id is the numeric user ID shown to the user. username keeps the NFC form the user
-- chose; username_canonical (NFC + case folding, account/username_rules.h) carries the UNIQUE
-- constraint, so 'Alice' and 'alice' cannot both exist. password_hash is a PHC string
-- (Argon2id), NULL for accounts made through an upstream login that never set a password.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_canonical TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT users_username_canonical UNIQUE (username_canonical)
);

-- An address may be on several accounts (unverified, or verified on more than one); it signs
-- in only when exactly one account has it verified (design.md §2). Unique per account.
CREATE TABLE user_emails (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    verified_at INTEGER,
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    CONSTRAINT user_emails_user_email UNIQUE (user_id, email_canonical)
);

CREATE INDEX user_emails_email_canonical ON user_emails (email_canonical, verified_at);
