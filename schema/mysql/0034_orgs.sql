-- 0034: organizations (server/org/org_store.cpp). Times are epoch seconds, UTC.
-- orgs.name is the organization's handle, stored lowercase, unique. AUTO_INCREMENT ids are not
-- reused, because a deleted organization's billing account and records stay behind under
-- {org, id}.
CREATE TABLE IF NOT EXISTS orgs (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    display_name VARCHAR(191) NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY orgs_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per member. The owner is the one row with role 'owner'; a transfer moves it with
-- conditional UPDATEs (`WHERE role = 'owner'`), so two racing transfers cannot both win.
CREATE TABLE IF NOT EXISTS org_members (
    org_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    role VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id),
    KEY org_members_user (user_id),
    CONSTRAINT org_members_role CHECK (role IN ('owner', 'admin', 'member')),
    CONSTRAINT org_members_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
    CONSTRAINT org_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An invitation to a user (invitee_user_id) or to an email address (invitee_email, lowercase;
-- whoever accepts with that verified email joins). Only SHA-256 of the link's token is kept.
-- status: pending → accepted | declined | revoked, by `UPDATE … WHERE status = 'pending'`.
CREATE TABLE IF NOT EXISTS org_invitations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_id BIGINT NOT NULL,
    token_hash VARBINARY(32) NOT NULL,
    invitee_user_id BIGINT NULL,
    invitee_email VARCHAR(191) NULL,
    role VARCHAR(16) NOT NULL,
    invited_by BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    responded_at BIGINT NULL,
    UNIQUE KEY org_invitations_token (token_hash),
    KEY org_invitations_org (org_id, status),
    KEY org_invitations_user (invitee_user_id, status),
    KEY org_invitations_email (invitee_email, status),
    CONSTRAINT org_invitations_role CHECK (role IN ('admin', 'member')),
    CONSTRAINT org_invitations_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
    CONSTRAINT org_invitations_user FOREIGN KEY (invitee_user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
