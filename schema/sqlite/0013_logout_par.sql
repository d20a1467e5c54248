-- 0013: back-channel logout and pushed authorization requests (server/oidc).
-- session_clients (oidc/session_client_store.cpp): which clients were issued tokens in which
-- browser session (sid, the sessions row id as the ID token states it), written when a code is
-- redeemed, so that the end of a session can send each of them a logout token (OIDC
-- Back-Channel Logout 1.0 §2.7). subject is the sub the client's ID token carried. A row is
-- deleted when its logout token is queued, or by the janitor once no session can be that old.
CREATE TABLE IF NOT EXISTS session_clients (
    sid TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sid, client_id)
);

CREATE INDEX IF NOT EXISTS session_clients_created_at ON session_clients (created_at);

-- par_requests (oidc/pushed_request_store.cpp): RFC 9126 pushed authorization requests. The
-- request_uri handed to the client is urn:ietf:params:oauth:request_uri:<256 random bits>;
-- only the SHA-256 of the random part is stored (request_hash). params is the pushed request
-- as a JSON object. A row is deleted when /authorize issues a code from it (its affected-row
-- count decides a race), or by the janitor after expires_at. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS par_requests (
    request_hash BLOB NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    params TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS par_requests_expires_at ON par_requests (expires_at);
