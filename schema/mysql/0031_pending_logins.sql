-- 0031: the state between a correct first factor and the second step (web/second_step.h),
-- and browsers the user chose to trust for totp.trust_browser_days.
-- pending_logins: SHA-256 of the 256-bit token in the browser's cookie; who passed the first
-- factor, with which RFC 8176 methods, where to go afterwards and "keep me signed in". Short
-- lived, and used_at is set by the one UPDATE that turns it into a session, so it opens at
-- most one. No session, code or token exists while only this row does.
CREATE TABLE IF NOT EXISTS pending_logins (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash VARBINARY(32) NOT NULL,
    user_id BIGINT NOT NULL,
    amr VARCHAR(64) NOT NULL,
    return_to VARCHAR(2048) NOT NULL,
    persistent TINYINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    UNIQUE KEY pending_logins_token_hash (token_hash),
    KEY pending_logins_expires_at (expires_at),
    CONSTRAINT pending_logins_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- trusted_browsers: SHA-256 of the 256-bit token in the trust cookie, for one user.
CREATE TABLE IF NOT EXISTS trusted_browsers (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash VARBINARY(32) NOT NULL,
    user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    UNIQUE KEY trusted_browsers_token_hash (token_hash),
    KEY trusted_browsers_expires_at (expires_at),
    CONSTRAINT trusted_browsers_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
