-- 0040: the link between an account and its follower openid under our WeChat official account
-- (server/notify/wechat_link_store.cpp), where template-message notices go. A WeChat sign-in
-- binding holds the website app's openid, which the official account cannot message, so the
-- person scans a QR code of the official account once: wechat_mp_scenes holds the SHA-256 of
-- the QR code's one-time scene_str with its account and expiry; WeChat's subscribe/SCAN event
-- carries the scene back with the follower's openid. One openid belongs to one account
-- (UNIQUE): a later scan by another account moves it there. Times are epoch seconds, UTC.
CREATE TABLE wechat_mp_links (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    openid TEXT NOT NULL UNIQUE,
    linked_at INTEGER NOT NULL
);

CREATE TABLE wechat_mp_scenes (
    scene_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX wechat_mp_scenes_expires_at ON wechat_mp_scenes (expires_at);
