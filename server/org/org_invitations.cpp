// OrgStore's invitations: created by the owner or an admin, answered by the invitee (the
// account named, or whoever holds the invited address verified), valid options.invitation_ttl.
#include <algorithm>
#include <array>

#include "auth/session_store.h"
#include "org/org_store.h"
#include "org/permissions.h"
#include "store/epoch.h"

namespace idpd::org {
namespace {

using store::epoch;

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

constexpr std::string_view columns =
    "SELECT i.id, i.org_id, o.name, o.display_name, i.invitee_user_id, i.invitee_email, "
    "COALESCE(u.username, ''), i.role, i.status, i.created_at, i.expires_at "
    "FROM org_invitations i JOIN orgs o ON o.id = i.org_id "
    "LEFT JOIN users u ON u.id = i.invitee_user_id ";

Invitation invitation_of(const store::Row& row) {
    Invitation out;
    out.id = row.integer(0);
    out.org_id = row.integer(1);
    out.org_name = row.text(2);
    out.org_display_name = row.text(3);
    out.invitee.user_id = row.optional_integer(4);
    out.invitee.email = row.optional_text(5);
    out.invitee_username = row.text(6);
    out.role = parse_role(row.text(7)).value_or(Role::member);
    out.status = row.text(8);
    out.created_at = store::at(row.integer(9));
    out.expires_at = store::at(row.integer(10));
    return out;
}

Result<std::vector<Invitation>> select(store::Database& db, const std::string& where,
                                       const store::Params& params) {
    auto rows = db.query(std::string(columns) + where, params);
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<Invitation> out;
    for (const auto& row : *rows) {
        out.push_back(invitation_of(row));
    }
    return out;
}

bool is_for(const Invitation& invitation, const Respondent& who) {
    if (invitation.invitee.user_id) {
        return *invitation.invitee.user_id == who.user_id;
    }
    const auto& emails = who.verified_emails;
    return invitation.invitee.email && std::ranges::find_if(emails, [&](const std::string& e) {
                                           return lowercase(e) == *invitation.invitee.email;
                                       }) != emails.end();
}

// The invitation, checked to be open and addressed to `who`, inside `tx`.
Result<Invitation> open_invitation(store::Database& tx, std::int64_t id, const Respondent& who,
                                   std::chrono::sys_seconds now) {
    auto found = select(tx, "WHERE i.id = ?", {id});
    if (!found) {
        return std::unexpected(found.error());
    }
    if (found->empty()) {
        return fail(Code::not_found, "no such invitation");
    }
    const Invitation& invitation = found->front();
    if (!is_for(invitation, who)) {
        return fail(Code::wrong_invitee, "this invitation is for someone else");
    }
    if (invitation.status != "pending") {
        return fail(Code::invitation_closed, "this invitation was already answered or revoked");
    }
    if (invitation.expires_at <= now) {
        return fail(Code::invitation_expired, "this invitation has expired");
    }
    return invitation;
}

// Closes an open invitation; the conditional UPDATE makes a second answer a refusal.
Result<void> close(store::Database& tx, std::int64_t id, std::string_view status,
                   std::chrono::sys_seconds now) {
    auto closed = tx.execute(
        "UPDATE org_invitations SET status = ?, responded_at = ? WHERE id = ? AND "
        "status = 'pending'",
        {std::string(status), epoch(now), id});
    if (!closed) {
        return from_store(closed.error());
    }
    if (closed->affected_rows != 1) {
        return fail(Code::invitation_closed, "this invitation was already answered or revoked");
    }
    return {};
}

Result<Role> actor_role(store::Database& db, std::int64_t org_id, std::int64_t user_id) {
    auto rows = db.query("SELECT role FROM org_members WHERE org_id = ? AND user_id = ?",
                         {org_id, user_id});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Code::not_found, "no such organization");
    }
    return parse_role(rows->front().text(0)).value_or(Role::member);
}

}  // namespace

Result<CreatedInvitation> OrgStore::invite(std::int64_t actor, std::int64_t org_id,
                                           const Invitee& invitee, Role role,
                                           auth::RandomSource& random,
                                           std::chrono::sys_seconds now) {
    if (role == Role::owner) {
        return fail(Code::invalid_role, "invite as admin or member; ownership is transferred");
    }
    if (invitee.user_id.has_value() == invitee.email.has_value()) {
        return fail(Code::no_such_invitee, "invite one account or one email address");
    }
    auto mine = actor_role(db_, org_id, actor);
    if (!mine) {
        return std::unexpected(mine.error());
    }
    if (!can_manage_members(*mine)) {
        return fail(Code::forbidden, "only the owner or an admin may invite");
    }
    if (invitee.user_id) {
        auto theirs = actor_role(db_, org_id, *invitee.user_id);
        if (theirs) {
            return fail(Code::already_member, "this account is a member already");
        }
        if (theirs.error().code != Code::not_found) {
            return std::unexpected(theirs.error());
        }
    }
    std::array<std::uint8_t, 32> raw{};
    random.fill(raw);
    CreatedInvitation created;
    created.token =
        auth::to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    const std::optional<std::string> email =
        invitee.email ? std::optional(lowercase(*invitee.email)) : std::nullopt;
    auto inserted = db_.execute(
        "INSERT INTO org_invitations (org_id, token_hash, invitee_user_id, invitee_email, role, "
        "invited_by, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        {org_id, store::Blob{auth::sha256(created.token)},
         invitee.user_id ? store::Value(*invitee.user_id) : store::Value(nullptr),
         email ? store::Value(*email) : store::Value(nullptr), std::string(role_name(role)), actor,
         epoch(now), epoch(now + options_.invitation_ttl)});
    if (!inserted) {
        return from_store(inserted.error());
    }
    auto found = select(db_, "WHERE i.id = ?", {inserted->last_insert_id});
    if (!found || found->empty()) {
        return found ? fail(Code::unavailable, "the invitation vanished")
                     : std::unexpected(found.error());
    }
    created.invitation = found->front();
    return created;
}

Result<std::vector<Invitation>> OrgStore::pending_of_org(std::int64_t viewer, std::int64_t org_id,
                                                         std::chrono::sys_seconds now) {
    if (auto mine = actor_role(db_, org_id, viewer); !mine) {
        return std::unexpected(mine.error());
    }
    return select(db_,
                  "WHERE i.org_id = ? AND i.status = 'pending' AND i.expires_at > ? "
                  "ORDER BY i.created_at, i.id",
                  {org_id, epoch(now)});
}

Result<std::vector<Invitation>> OrgStore::pending_for(const Respondent& who,
                                                      std::chrono::sys_seconds now) {
    std::string where =
        "WHERE i.status = 'pending' AND i.expires_at > ? AND (i.invitee_user_id = ?";
    store::Params params{epoch(now), who.user_id};
    for (const auto& email : who.verified_emails) {
        where += " OR i.invitee_email = ?";
        params.emplace_back(lowercase(email));
    }
    where += ") ORDER BY i.created_at, i.id";
    return select(db_, where, params);
}

Result<Invitation> OrgStore::find_by_token(std::string_view token) {
    auto found = select(db_, "WHERE i.token_hash = ?", {store::Blob{auth::sha256(token)}});
    if (!found) {
        return std::unexpected(found.error());
    }
    if (found->empty()) {
        return fail(Code::not_found, "no such invitation");
    }
    return found->front();
}

Result<Membership> OrgStore::accept(std::int64_t invitation_id, const Respondent& who,
                                    std::chrono::sys_seconds now) {
    Membership joined;
    auto done = in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto invitation = open_invitation(tx, invitation_id, who, now);
        if (!invitation) {
            return std::unexpected(invitation.error());
        }
        if (auto closed = close(tx, invitation_id, "accepted", now); !closed) {
            return closed;
        }
        auto added = tx.execute(
            "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
            {invitation->org_id, who.user_id, std::string(role_name(invitation->role)),
             epoch(now)});
        if (!added) {
            if (added.error().kind == store::Error::Kind::conflict) {
                return fail(Code::already_member, "you are a member already");
            }
            return from_store(added.error());
        }
        joined = Membership{invitation->org_id, invitation->org_name, invitation->org_display_name,
                            invitation->role};
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return joined;
}

Result<void> OrgStore::decline(std::int64_t invitation_id, const Respondent& who,
                               std::chrono::sys_seconds now) {
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto invitation = open_invitation(tx, invitation_id, who, now);
        if (!invitation) {
            return std::unexpected(invitation.error());
        }
        return close(tx, invitation_id, "declined", now);
    });
}

Result<void> OrgStore::revoke(std::int64_t actor, std::int64_t org_id, std::int64_t invitation_id,
                              std::chrono::sys_seconds now) {
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto mine = actor_role(tx, org_id, actor);
        if (!mine) {
            return std::unexpected(mine.error());
        }
        if (!can_manage_members(*mine)) {
            return fail(Code::forbidden, "only the owner or an admin may revoke invitations");
        }
        auto found = select(tx, "WHERE i.id = ? AND i.org_id = ?", {invitation_id, org_id});
        if (!found) {
            return std::unexpected(found.error());
        }
        if (found->empty()) {
            return fail(Code::not_found, "no such invitation");
        }
        return close(tx, invitation_id, "revoked", now);
    });
}

}  // namespace idpd::org
