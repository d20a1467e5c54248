-- 0033: notification preferences (server/notify/preferences.cpp): one row per choice a user
-- made; no row means the default (see notify::default_enabled). Security email is always on,
-- whatever a row says.
CREATE TABLE notification_preferences (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, event, channel)
);
