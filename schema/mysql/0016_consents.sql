-- 0016: what each user has allowed each client (server/auth/consent_store.cpp): the scopes
-- granted, space-separated. The consent page writes it; /authorize reads it so a remembered
-- consent is not asked again; the "authorized apps" page withdraws it.
CREATE TABLE IF NOT EXISTS consents (
    user_id BIGINT NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id),
    CONSTRAINT consents_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
