-- 0033: notification preferences (server/notify/preferences.cpp): one row per choice a user
-- made; no row means the default (see notify::default_enabled). Security email is always on,
-- whatever a row says.
CREATE TABLE IF NOT EXISTS notification_preferences (
    user_id BIGINT NOT NULL,
    event VARCHAR(32) NOT NULL,
    channel VARCHAR(16) NOT NULL,
    enabled TINYINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, event, channel),
    CONSTRAINT notification_preferences_user FOREIGN KEY (user_id) REFERENCES users (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
