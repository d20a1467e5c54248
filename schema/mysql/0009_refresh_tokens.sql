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
CREATE TABLE IF NOT EXISTS refresh_token_families (
    family_id VARCHAR(64) NOT NULL PRIMARY KEY,
    client_id VARCHAR(255) NOT NULL,
    user_id BIGINT NOT NULL,
    subject VARCHAR(255) NOT NULL,
    sid VARCHAR(64) NOT NULL,
    scope TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    amr VARCHAR(64) NOT NULL DEFAULT '',
    acr VARCHAR(64) NOT NULL DEFAULT '',
    jkt VARCHAR(64) NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked TINYINT NOT NULL DEFAULT 0,
    KEY refresh_token_families_expires_at (expires_at),
    KEY refresh_token_families_user (user_id, client_id),
    CONSTRAINT refresh_token_families_client FOREIGN KEY (client_id)
        REFERENCES clients (client_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    family_id VARCHAR(64) NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    rotated_to VARBINARY(32) NULL,
    access_token_hash VARBINARY(32) NULL,
    access_token_jti VARCHAR(64) NULL,
    access_token_expires_at BIGINT NULL,
    KEY refresh_tokens_family (family_id),
    KEY refresh_tokens_expires_at (expires_at),
    KEY refresh_tokens_access_token_hash (access_token_hash),
    KEY refresh_tokens_access_token_jti (access_token_jti),
    CONSTRAINT refresh_tokens_family FOREIGN KEY (family_id)
        REFERENCES refresh_token_families (family_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
