-- 0002: the keys idpd signs tokens with (server/jose/key_store.cpp).
-- Per alg: one `active` key signs; one `next` key is published in the JWKS ahead of signing;
-- `retired` keys stay published until every token they signed has expired (remove_at).
-- The private key is PKCS#8 sealed with AES-256-GCM under the master key, with the kid as AAD.
CREATE TABLE IF NOT EXISTS signing_keys (
    kid VARCHAR(64) NOT NULL PRIMARY KEY,
    alg VARCHAR(16) NOT NULL,
    state VARCHAR(16) NOT NULL,
    sealed_private_key BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    activated_at BIGINT NULL,
    rotate_after BIGINT NULL,
    retired_at BIGINT NULL,
    remove_at BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row. Every change to signing_keys bumps `version` in the same transaction, so a process
-- learns that its cached key set is stale with one cheap read, and the row (SELECT ... FOR
-- UPDATE) serialises the processes that maintain the keys.
CREATE TABLE IF NOT EXISTS signing_key_set (
    id INT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO signing_key_set (id, version) VALUES (1, 0);
