-- 0006: authorization codes (server/oidc/authorization_code_store.cpp), RFC 6749 §4.1.2.
-- The code given to the browser is 256 random bits; only its SHA-256 is stored (code_hash), so a
-- copy of the database redeems nothing. A code lives 60 s (expires_at) and is redeemed once:
-- used_at is set by one UPDATE ... WHERE used_at IS NULL, whose affected-row count decides a race.
-- access_token_hash (opaque) or access_token_jti (JWT) names the access token issued from the
-- code, so a replay can revoke it (RFC 6749 §4.1.2). Times are epoch seconds, UTC.
CREATE TABLE authorization_codes (
    code_hash BLOB NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sid TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    amr TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    access_token_hash BLOB,
    access_token_jti TEXT,
    access_token_expires_at INTEGER
);

CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);
