-- 0020: federated sign-in (server/federation). Times are epoch seconds, UTC.
-- federation_states: the `state` of each upstream login (login CSRF). Only SHA-256 of the state
-- and of the browser's federation cookie are stored; a state is used once (UPDATE … WHERE
-- used_at IS NULL) and expires. user_id is the account a bind was started from.
CREATE TABLE IF NOT EXISTS federation_states (
    state_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    browser_hash VARBINARY(32) NOT NULL,
    provider VARCHAR(32) NOT NULL,
    intent VARCHAR(16) NOT NULL,
    user_id BIGINT NULL,
    return_to VARCHAR(2048) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    KEY federation_states_expires_at (expires_at),
    CONSTRAINT federation_states_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An upstream identity bound to no account yet, waiting for "create an account" or "sign in
-- and link" (identity is JSON); the token is only in the browser's cookie.
CREATE TABLE IF NOT EXISTS federation_pending (
    token_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    identity TEXT NOT NULL,
    return_to VARCHAR(2048) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    KEY federation_pending_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One upstream identity binds to at most one account (provider, subject), and an account has
-- at most one identity per provider. No upstream token is kept.
CREATE TABLE IF NOT EXISTS federation_identities (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    provider VARCHAR(32) NOT NULL,
    subject VARCHAR(191) NOT NULL,
    username VARCHAR(191) NOT NULL DEFAULT '',
    display_name VARCHAR(191) NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE KEY federation_identities_subject (provider, subject),
    UNIQUE KEY federation_identities_user_provider (user_id, provider),
    CONSTRAINT federation_identities_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Bonus events the billing issue credits (credited_at set then): the first WeChat binding of
-- an account, once per account ever.
CREATE TABLE IF NOT EXISTS federation_bonus_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    kind VARCHAR(64) NOT NULL,
    provider VARCHAR(32) NOT NULL,
    subject VARCHAR(191) NOT NULL,
    created_at BIGINT NOT NULL,
    credited_at BIGINT NULL,
    UNIQUE KEY federation_bonus_events_user_kind (user_id, kind),
    CONSTRAINT federation_bonus_events_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
