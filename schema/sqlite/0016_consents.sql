-- 0016: what each user has allowed each client (server/auth/consent_store.cpp): the scopes
-- granted, space-separated. The consent page writes it; /authorize reads it so a remembered
-- consent is not asked again; the "authorized apps" page withdraws it.
CREATE TABLE consents (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
