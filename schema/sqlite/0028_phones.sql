-- 0028: phone numbers (server/phone). Times are epoch seconds, UTC.
-- user_phones: the one verified phone of an account, E.164 ("+8613800138000"). A number
-- belongs to at most one account (UNIQUE phone decides a race between two binds).
CREATE TABLE user_phones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    phone TEXT NOT NULL UNIQUE,
    verified_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- phone_codes: six-digit codes sent by SMS (binding a number, signing in with it). Only a
-- SHA-256 of the code is stored; used_at is set by the one UPDATE that redeems it. Every
-- request leaves a row, also one that sent nothing (a number no account holds), so the
-- throttles (per phone, per user, per IP: counted rows) answer alike for every number.
CREATE TABLE phone_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL CHECK (purpose IN ('bind', 'sign_in')),
    phone TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX phone_codes_phone ON phone_codes (phone, purpose, created_at);
CREATE INDEX phone_codes_user ON phone_codes (user_id, created_at);
CREATE INDEX phone_codes_ip ON phone_codes (ip, created_at);
CREATE INDEX phone_codes_expires_at ON phone_codes (expires_at);
