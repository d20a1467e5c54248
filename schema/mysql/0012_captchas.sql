-- 0012: sign-up captchas (server/auth/captcha_store.cpp). The challenge id in the page is 128
-- random bits; only its SHA-256 is stored (id_hash), and the answer only as SHA-256 over the id
-- and the upper-case answer (answer_hash). image is the SVG drawn when the challenge was made,
-- served by GET /captcha/:id while the challenge is open. A challenge is answered once:
-- used_at is set by one UPDATE ... WHERE used_at IS NULL AND expires_at > now, whose
-- affected-row count decides. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS captchas (
    id_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    answer_hash VARBINARY(32) NOT NULL,
    image MEDIUMTEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    KEY captchas_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
