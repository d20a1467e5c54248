-- 0020: federated sign-in (server/federation). Times are epoch seconds, UTC.
-- federation_states: the `state` of each upstream login (login CSRF). Only SHA-256 of the state
-- and of the browser's federation cookie are stored; a state is used once (UPDATE … WHERE
-- used_at IS NULL) and expires. user_id is the account a bind was started from.
CREATE TABLE federation_states (
    state_hash BLOB NOT NULL PRIMARY KEY,
    browser_hash BLOB NOT NULL,
    provider TEXT NOT NULL,
    intent TEXT NOT NULL CHECK (intent IN ('sign_in', 'bind')),
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    return_to TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX federation_states_expires_at ON federation_states (expires_at);

-- An upstream identity bound to no account yet, waiting for "create an account" or "sign in
-- and link" (identity is JSON); the token is only in the browser's cookie.
CREATE TABLE federation_pending (
    token_hash BLOB NOT NULL PRIMARY KEY,
    identity TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX federation_pending_expires_at ON federation_pending (expires_at);

-- One upstream identity binds to at most one account (provider, subject), and an account has
-- at most one identity per provider. No upstream token is kept.
CREATE TABLE federation_identities (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    username TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CONSTRAINT federation_identities_subject UNIQUE (provider, subject),
    CONSTRAINT federation_identities_user_provider UNIQUE (user_id, provider)
);

-- Bonus events the billing issue credits (credited_at set then): the first WeChat binding of
-- an account, once per account ever.
CREATE TABLE federation_bonus_events (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    credited_at INTEGER,
    CONSTRAINT federation_bonus_events_user_kind UNIQUE (user_id, kind)
);
