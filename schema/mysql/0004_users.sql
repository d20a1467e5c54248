-- 0004: local accounts (design.md §2 Accounts) and their email addresses.
-- users.id is the numeric user ID shown to the user. username keeps the NFC form the user
-- chose; username_canonical (NFC + case folding, account/username_rules.h) carries the UNIQUE
-- key, so 'Alice' and 'alice' cannot both exist; utf8mb4_bin keeps 'Alice' and 'alice'
-- distinct everywhere else, as on SQLite. password_hash is a PHC string (Argon2id), NULL for
-- accounts made through an upstream login that never set a password.
-- Lengths are in characters: a username is at most 20 code points, an address at most 254.
CREATE TABLE IF NOT EXISTS users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    username_canonical VARCHAR(64) NOT NULL,
    display_name VARCHAR(255) NOT NULL DEFAULT '',
    password_hash VARCHAR(255) NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT users_status CHECK (status IN ('active', 'disabled')),
    UNIQUE KEY users_username_canonical (username_canonical)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An address may be on several accounts (unverified, or verified on more than one); it signs
-- in only when exactly one account has it verified (design.md §2). Unique per account.
CREATE TABLE IF NOT EXISTS user_emails (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    email VARCHAR(254) NOT NULL,
    email_canonical VARCHAR(254) NOT NULL,
    verified_at BIGINT NULL,
    is_primary TINYINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE KEY user_emails_user_email (user_id, email_canonical),
    KEY user_emails_email_canonical (email_canonical, verified_at),
    CONSTRAINT user_emails_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
