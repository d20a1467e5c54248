-- 0032: how the user authenticated, kept with an opaque access token (a JWT carries it as
-- claims, RFC 9068 §2.2.1), so introspection and userinfo answer acr, amr and auth_time.
-- Empty acr/amr and auth_time 0 for tokens without a user (client_credentials).
-- IF NOT EXISTS: MySQL DDL commits implicitly, so the file must be safe to re-run.
ALTER TABLE access_tokens ADD COLUMN IF NOT EXISTS auth_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE access_tokens ADD COLUMN IF NOT EXISTS acr VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE access_tokens ADD COLUMN IF NOT EXISTS amr VARCHAR(64) NOT NULL DEFAULT '';
