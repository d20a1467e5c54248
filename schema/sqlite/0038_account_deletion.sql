-- 0038: account deletion with a grace period (issue 9 item 10, account/deletion_store.h).
-- Columns on users rather than a table of their own: every page already reads the users row
-- (the banner needs it on each account page), and the sweep's one conditional UPDATE on that
-- row both claims the account and anonymises it, so two sweeping processes cannot both act.
-- deletion_scheduled_at: when the janitor deletes the account; NULL: nothing scheduled.
-- deleted_at: when it was deleted; the row stays, anonymised, so the id (and `sub`) is never
-- reused and billing rows keep their owner.
ALTER TABLE users ADD COLUMN deletion_scheduled_at INTEGER;
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
CREATE INDEX users_deletion_scheduled_at ON users (deletion_scheduled_at);
