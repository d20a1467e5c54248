-- 0031: the state between a correct first factor and the second step (web/second_step.h),
-- and browsers the user chose to trust for totp.trust_browser_days.
-- pending_logins: SHA-256 of the 256-bit token in the browser's cookie; who passed the first
-- factor, with which RFC 8176 methods, where to go afterwards and "keep me signed in". Short
-- lived, and used_at is set by the one UPDATE that turns it into a session, so it opens at
-- most one. No session, code or token exists while only this row does.
CREATE TABLE pending_logins (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr TEXT NOT NULL,
    return_to TEXT NOT NULL,
    persistent INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX pending_logins_expires_at ON pending_logins (expires_at);

-- trusted_browsers: SHA-256 of the 256-bit token in the trust cookie, for one user.
CREATE TABLE trusted_browsers (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX trusted_browsers_expires_at ON trusted_browsers (expires_at);
