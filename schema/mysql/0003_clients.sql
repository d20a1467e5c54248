-- 0003: OAuth clients and the access tokens issued to them (server/oidc/client_store.cpp,
-- server/oidc/access_token_store.cpp).
CREATE TABLE IF NOT EXISTS clients (
    client_id VARCHAR(255) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    client_type VARCHAR(16) NOT NULL,
    secret_hash VARBINARY(32) NULL,
    token_endpoint_auth_method VARCHAR(32) NOT NULL,
    redirect_uris TEXT NOT NULL,
    grant_types TEXT NOT NULL,
    scopes TEXT NOT NULL,
    access_token_format VARCHAR(16) NOT NULL,
    access_token_alg VARCHAR(16) NOT NULL,
    id_token_signed_response_alg VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Opaque access tokens, stored only as the SHA-256 of the token.
CREATE TABLE IF NOT EXISTS access_tokens (
    token_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    client_id VARCHAR(255) NOT NULL,
    subject VARCHAR(255) NOT NULL,
    scope TEXT NOT NULL,
    audience VARCHAR(2048) NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked TINYINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX IF NOT EXISTS access_tokens_expires_at ON access_tokens (expires_at);

-- Revoked JWT access tokens, by jti, kept until the token would have expired anyway.
CREATE TABLE IF NOT EXISTS revoked_jwt_access_tokens (
    jti VARCHAR(64) NOT NULL PRIMARY KEY,
    client_id VARCHAR(255) NOT NULL,
    expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX IF NOT EXISTS revoked_jwt_access_tokens_expires_at
    ON revoked_jwt_access_tokens (expires_at);
