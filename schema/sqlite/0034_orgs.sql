-- 0034: organizations (server/org/org_store.cpp). Times are epoch seconds, UTC.
-- orgs.name is the organization's handle, stored lowercase, unique. Ids are never reused
-- (AUTOINCREMENT), because a deleted organization's billing account and records stay behind
-- under {org, id}.
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- One row per member. The owner is the one row with role 'owner'; a transfer moves it with
-- conditional UPDATEs (`WHERE role = 'owner'`), so two racing transfers cannot both win.
CREATE TABLE org_members (
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

CREATE INDEX org_members_user ON org_members (user_id);

-- An invitation to a user (invitee_user_id) or to an email address (invitee_email, lowercase;
-- whoever accepts with that verified email joins). Only SHA-256 of the link's token is kept.
-- status: pending → accepted | declined | revoked, by `UPDATE … WHERE status = 'pending'`.
CREATE TABLE org_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    invitee_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    invitee_email TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    invited_by INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    responded_at INTEGER,
    CHECK (invitee_user_id IS NOT NULL OR invitee_email IS NOT NULL)
);

CREATE INDEX org_invitations_org ON org_invitations (org_id, status);
CREATE INDEX org_invitations_user ON org_invitations (invitee_user_id, status);
CREATE INDEX org_invitations_email ON org_invitations (invitee_email, status);
