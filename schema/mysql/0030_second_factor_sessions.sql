-- 0030: two-step verification in sessions and authorization codes (issue 5).
-- sessions.mfa_at: when the session last passed its second factor (TOTP or recovery code);
-- the session's acr is the MFA level only while mfa_at is younger than totp.mfa_lifetime.
-- sessions.reauth_at: when the password was last re-entered for a sensitive operation
-- (web/step_up_guard.h) by a user without two-step verification.
-- authorization_codes.acr: the level the code was issued at, for the ID token.
-- IF NOT EXISTS: MySQL DDL commits implicitly, so the file must be safe to re-run.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS mfa_at BIGINT NULL;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS reauth_at BIGINT NULL;
ALTER TABLE authorization_codes ADD COLUMN IF NOT EXISTS acr VARCHAR(64) NOT NULL DEFAULT '';
