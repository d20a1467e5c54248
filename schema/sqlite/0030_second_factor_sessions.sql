-- 0030: two-step verification in sessions and authorization codes (issue 5).
-- sessions.mfa_at: when the session last passed its second factor (TOTP or recovery code);
-- the session's acr is the MFA level only while mfa_at is younger than totp.mfa_lifetime.
-- sessions.reauth_at: when the password was last re-entered for a sensitive operation
-- (web/step_up_guard.h) by a user without two-step verification.
-- authorization_codes.acr: the level the code was issued at, for the ID token.
ALTER TABLE sessions ADD COLUMN mfa_at INTEGER;
ALTER TABLE sessions ADD COLUMN reauth_at INTEGER;
ALTER TABLE authorization_codes ADD COLUMN acr TEXT NOT NULL DEFAULT '';
