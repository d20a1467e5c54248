-- 0026: the account center (web/account_*_pages.h).
-- signin_history: the last sign-ins of each account, successful or not, as the Security tab
-- shows them (auth/signin_history_store.h keeps the newest 50 per user). device is the
-- User-Agent reduced to browser and OS; method names the first factor (password, an upstream)
-- and a second one (totp).
CREATE TABLE IF NOT EXISTS signin_history (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    ip VARCHAR(64) NOT NULL,
    device VARCHAR(128) NOT NULL,
    method VARCHAR(64) NOT NULL,
    success TINYINT NOT NULL,
    KEY signin_history_user (user_id, id),
    CONSTRAINT signin_history_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- username_changes: each rename, for the cooldown ([account] username_change_cooldown) and
-- for the records (the old name).
CREATE TABLE IF NOT EXISTS username_changes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    old_username VARCHAR(80) NOT NULL,
    changed_at BIGINT NOT NULL,
    KEY username_changes_user (user_id, changed_at),
    CONSTRAINT username_changes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- step_up_codes: 6-digit codes mailed to pass the step-up check without a password or TOTP
-- (web/verify_pages.h), for accounts made through an upstream. SHA-256 of "<user_id>:<code>";
-- single use (used_at), 10 minutes, at most 5 wrong tries each, throttled per user.
CREATE TABLE IF NOT EXISTS step_up_codes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    attempts INT NOT NULL DEFAULT 0,
    KEY step_up_codes_user (user_id, id),
    CONSTRAINT step_up_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
