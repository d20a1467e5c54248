-- 0029: API keys (server/account/api_keys.cpp). The secret ("idk_" + 43 characters) is shown
-- once; only its HMAC-SHA-256 under a key derived from the master key is stored. scopes is
-- space-separated; org_id limits the key to one organization (no foreign key: organizations
-- live in another migration). last_used_* is updated at most once a minute.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    scopes TEXT NOT NULL,
    org_id INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER,
    last_used_ip TEXT
);

CREATE INDEX api_keys_user ON api_keys (user_id, created_at);
