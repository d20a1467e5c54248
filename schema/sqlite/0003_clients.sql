-- 0003: OAuth clients and the access tokens issued to them (server/oidc/client_store.cpp,
-- server/oidc/access_token_store.cpp).
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    client_type TEXT NOT NULL CHECK (client_type IN ('confidential', 'public')),
    secret_hash BLOB,                 -- HMAC-SHA-256 of the secret; NULL for public clients
    token_endpoint_auth_method TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,      -- JSON array of strings
    grant_types TEXT NOT NULL,        -- JSON array of strings
    scopes TEXT NOT NULL,             -- allowed scopes, space-separated (RFC 6749 §3.3)
    access_token_format TEXT NOT NULL CHECK (access_token_format IN ('jwt', 'opaque')),
    access_token_alg TEXT NOT NULL,
    id_token_signed_response_alg TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Opaque access tokens, stored only as the SHA-256 of the token.
CREATE TABLE access_tokens (
    token_hash BLOB PRIMARY KEY,
    client_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    scope TEXT NOT NULL,
    audience TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at);

-- Revoked JWT access tokens, by jti, kept until the token would have expired anyway.
CREATE TABLE revoked_jwt_access_tokens (
    jti TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX revoked_jwt_access_tokens_expires_at ON revoked_jwt_access_tokens (expires_at);
