-- 0014: DPoP (RFC 9449, server/oidc/dpop.cpp). dpop_proofs is the jti replay cache (§11.1): one
-- row per accepted proof, keyed by SHA-256 of the key thumbprint and the jti, kept until the
-- proof would be refused as too old anyway; a second INSERT of the same key is a replay, decided
-- by the primary key, so it holds across processes. access_tokens.jkt binds an opaque access
-- token to the DPoP key (the cnf.jkt a JWT carries itself). Times are epoch seconds, UTC.
CREATE TABLE dpop_proofs (
    proof_hash BLOB NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

CREATE INDEX dpop_proofs_expires_at ON dpop_proofs (expires_at);

ALTER TABLE access_tokens ADD COLUMN jkt TEXT;
