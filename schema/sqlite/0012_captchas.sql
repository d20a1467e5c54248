-- 0012: sign-up captchas (server/auth/captcha_store.cpp). The challenge id in the page is 128
-- random bits; only its SHA-256 is stored (id_hash), and the answer only as SHA-256 over the id
-- and the upper-case answer (answer_hash). image is the SVG drawn when the challenge was made,
-- served by GET /captcha/:id while the challenge is open. A challenge is answered once:
-- used_at is set by one UPDATE ... WHERE used_at IS NULL AND expires_at > now, whose
-- affected-row count decides. Times are epoch seconds, UTC.
CREATE TABLE captchas (
    id_hash BLOB NOT NULL PRIMARY KEY,
    answer_hash BLOB NOT NULL,
    image TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX captchas_expires_at ON captchas (expires_at);
