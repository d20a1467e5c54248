-- 0032: how the user authenticated, kept with an opaque access token (a JWT carries it as
-- claims, RFC 9068 §2.2.1), so introspection and userinfo answer acr, amr and auth_time.
-- Empty acr/amr and auth_time 0 for tokens without a user (client_credentials).
ALTER TABLE access_tokens ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE access_tokens ADD COLUMN acr TEXT NOT NULL DEFAULT '';
ALTER TABLE access_tokens ADD COLUMN amr TEXT NOT NULL DEFAULT '';
