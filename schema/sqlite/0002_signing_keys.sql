-- 0002: the keys idpd signs tokens with (server/jose/key_store.cpp).
-- Per alg: one `active` key signs; one `next` key is published in the JWKS ahead of signing;
-- `retired` keys stay published until every token they signed has expired (remove_at).
-- The private key is PKCS#8 sealed with AES-256-GCM under the master key, with the kid as AAD.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired')),
    sealed_private_key BLOB NOT NULL,
    created_at INTEGER NOT NULL,    -- also when it was first published
    activated_at INTEGER,           -- when it started signing
    rotate_after INTEGER,           -- active: when the next key takes over
    retired_at INTEGER,
    remove_at INTEGER               -- retired: when it leaves the JWKS and is deleted
);

-- One row. Every change to signing_keys bumps `version` in the same transaction, so a process
-- learns that its cached key set is stale with one cheap read, and the row serialises the
-- processes that maintain the keys.
CREATE TABLE signing_key_set (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

INSERT INTO signing_key_set (id, version) VALUES (1, 0);
