-- 0009: refresh tokens (server/oidc/refresh_token_store.cpp), RFC 6749 §6, OIDC Core §11/§12.
-- A family is one grant: what the user consented to, once, at /authorize (scope, who, when, how).
-- Every refresh rotates the token: the old row gets used_at/rotated_to and a new row joins the
-- family. Revoking the family (reuse of a used token, /revoke, the grant expiring) is one UPDATE
-- of the family row, which every rotation also locks, so a rotation and a revocation serialize.
-- Tokens are 256 random bits stored only as SHA-256 (token_hash). expires_at of a token is its
-- idle expiry, the family's expires_at the absolute one. jkt binds a public client's family to
-- its DPoP key (RFC 9449 §5). user_id is the local user; subject the sub this client sees
-- (public or pairwise, server/oidc/subject_mapper.h). Each token row names the access token issued with it, so revoking
-- the family revokes those too. Times are epoch seconds, UTC.
CREATE TABLE refresh_token_families (
    family_id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    subject TEXT NOT NULL,
    sid TEXT NOT NULL,
    scope TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    amr TEXT NOT NULL DEFAULT '',
    acr TEXT NOT NULL DEFAULT '',
    jkt TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX refresh_token_families_expires_at ON refresh_token_families (expires_at);
CREATE INDEX refresh_token_families_user ON refresh_token_families (user_id, client_id);

CREATE TABLE refresh_tokens (
    token_hash BLOB NOT NULL PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES refresh_token_families (family_id) ON DELETE CASCADE,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    rotated_to BLOB,
    access_token_hash BLOB,
    access_token_jti TEXT,
    access_token_expires_at INTEGER
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_access_token_hash ON refresh_tokens (access_token_hash);
CREATE INDEX refresh_tokens_access_token_jti ON refresh_tokens (access_token_jti);
