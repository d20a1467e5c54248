-- 0027: avatars (account/avatar_store.h). Either an uploaded image — validated by decoding it
-- (account/avatar_image.h), served from /avatars/:user_id with its content_type — or an https
-- URL stored as given and never fetched. updated_at versions the URL the pages and the
-- `picture` claim give out, so a new upload is not hidden by a cache.
CREATE TABLE avatars (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type TEXT,
    image BLOB,
    url TEXT,
    updated_at INTEGER NOT NULL
);
