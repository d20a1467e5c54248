-- 0028: phone numbers (server/phone). Times are epoch seconds, UTC.
-- user_phones: the one verified phone of an account, E.164 ("+8613800138000"). A number
-- belongs to at most one account (UNIQUE phone decides a race between two binds).
CREATE TABLE IF NOT EXISTS user_phones (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    phone VARCHAR(16) NOT NULL,
    verified_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY user_phones_user (user_id),
    UNIQUE KEY user_phones_phone (phone),
    CONSTRAINT user_phones_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- phone_codes: six-digit codes sent by SMS (binding a number, signing in with it). Only a
-- SHA-256 of the code is stored; used_at is set by the one UPDATE that redeems it. Every
-- request leaves a row, also one that sent nothing (a number no account holds), so the
-- throttles (per phone, per user, per IP: counted rows) answer alike for every number.
CREATE TABLE IF NOT EXISTS phone_codes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    purpose VARCHAR(8) NOT NULL,
    phone VARCHAR(16) NOT NULL,
    user_id BIGINT NULL,
    ip VARCHAR(64) NOT NULL,
    code_hash VARBINARY(32) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    KEY phone_codes_phone (phone, purpose, created_at),
    KEY phone_codes_user (user_id, created_at),
    KEY phone_codes_ip (ip, created_at),
    KEY phone_codes_expires_at (expires_at),
    CONSTRAINT phone_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
