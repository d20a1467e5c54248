-- 0014: DPoP (RFC 9449, server/oidc/dpop.cpp). dpop_proofs is the jti replay cache (§11.1): one
-- row per accepted proof, keyed by SHA-256 of the key thumbprint and the jti, kept until the
-- proof would be refused as too old anyway; a second INSERT of the same key is a replay, decided
-- by the primary key, so it holds across processes. access_tokens.jkt binds an opaque access
-- token to the DPoP key (the cnf.jkt a JWT carries itself). Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS dpop_proofs (
    proof_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    KEY dpop_proofs_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE access_tokens ADD COLUMN IF NOT EXISTS jkt VARCHAR(64) NULL;
