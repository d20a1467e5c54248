-- 0035: the billing context a browser session chose (web/billing_context.cpp): the
-- organization whose billing pages it shows; no row means the personal account. A row for an
-- organization the user has left is ignored (the pages fall back to personal).
CREATE TABLE org_session_contexts (
    session_id INTEGER NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
