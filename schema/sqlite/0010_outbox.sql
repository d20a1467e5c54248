-- 0010: the outbox of email and SMS messages (server/notify/outbox_store.cpp).
-- A message is written in the same transaction as the event that causes it (a sign-up, a
-- password reset), so it exists exactly when the event does; a Dispatcher in every `idpd serve`
-- delivers it later. A dispatcher claims one due row with one
-- UPDATE ... WHERE lease_until <= now, whose affected-row count decides between processes, and
-- holds it until lease_until; attempts counts claims. After a failure next_attempt_at moves back
-- exponentially; sent_at or failed_at (given up) ends it. Finished rows are deleted after
-- notify.keep_finished, because bodies hold sign-in links. Times are epoch seconds, UTC.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    failed_at INTEGER
);

CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);
CREATE INDEX outbox_created_at ON outbox (created_at);
