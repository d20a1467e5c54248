-- 0035: the billing context a browser session chose (web/billing_context.cpp): the
-- organization whose billing pages it shows; no row means the personal account. A row for an
-- organization the user has left is ignored (the pages fall back to personal).
CREATE TABLE IF NOT EXISTS org_session_contexts (
    session_id BIGINT NOT NULL PRIMARY KEY,
    org_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
