-- 0027: avatars (account/avatar_store.h). Either an uploaded image — validated by decoding it
-- (account/avatar_image.h), served from /avatars/:user_id with its content_type — or an https
-- URL stored as given and never fetched. updated_at versions the URL the pages and the
-- `picture` claim give out, so a new upload is not hidden by a cache.
CREATE TABLE IF NOT EXISTS avatars (
    user_id BIGINT NOT NULL PRIMARY KEY,
    content_type VARCHAR(32) NULL,
    image MEDIUMBLOB NULL,
    url VARCHAR(512) NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT avatars_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
