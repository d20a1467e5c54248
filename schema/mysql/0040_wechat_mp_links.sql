-- 0040: the link between an account and its follower openid under our WeChat official account
-- (server/notify/wechat_link_store.cpp), where template-message notices go. A WeChat sign-in
-- binding holds the website app's openid, which the official account cannot message, so the
-- person scans a QR code of the official account once: wechat_mp_scenes holds the SHA-256 of
-- the QR code's one-time scene_str with its account and expiry; WeChat's subscribe/SCAN event
-- carries the scene back with the follower's openid. One openid belongs to one account
-- (UNIQUE): a later scan by another account moves it there. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS wechat_mp_links (
    user_id BIGINT NOT NULL PRIMARY KEY,
    openid VARCHAR(64) NOT NULL,
    linked_at BIGINT NOT NULL,
    UNIQUE KEY wechat_mp_links_openid (openid),
    CONSTRAINT wechat_mp_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS wechat_mp_scenes (
    scene_hash VARBINARY(32) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    KEY wechat_mp_scenes_expires_at (expires_at),
    CONSTRAINT wechat_mp_scenes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
