-- 0010: the outbox of email and SMS messages (server/notify/outbox_store.cpp).
-- A message is written in the same transaction as the event that causes it (a sign-up, a
-- password reset), so it exists exactly when the event does; a Dispatcher in every `idpd serve`
-- delivers it later. A dispatcher claims one due row with one
-- UPDATE ... WHERE lease_until <= now, whose affected-row count decides between processes, and
-- holds it until lease_until; attempts counts claims. After a failure next_attempt_at moves back
-- exponentially; sent_at or failed_at (given up) ends it. Finished rows are deleted after
-- notify.keep_finished, because bodies hold sign-in links. Times are epoch seconds, UTC.
CREATE TABLE IF NOT EXISTS outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    channel VARCHAR(8) NOT NULL,
    recipient VARCHAR(320) NOT NULL,
    subject VARCHAR(1000) NOT NULL DEFAULT '',
    text_body MEDIUMTEXT NOT NULL,
    html_body MEDIUMTEXT NOT NULL,
    kind VARCHAR(64) NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_error VARCHAR(1000) NOT NULL DEFAULT '',
    sent_at BIGINT NULL,
    failed_at BIGINT NULL,
    KEY outbox_due (sent_at, failed_at, next_attempt_at),
    KEY outbox_created_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
