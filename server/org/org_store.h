#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/random_source.h"
#include "org/error.h"
#include "org/membership.h"
#include "store/database.h"

namespace idpd::org {

struct Org {
    std::int64_t id = 0;
    std::string name;  // the handle, lowercase, unique
    std::string display_name;
    std::chrono::sys_seconds created_at{};
};

struct Member {
    std::int64_t user_id = 0;
    std::string username;
    Role role = Role::member;
    std::chrono::sys_seconds joined_at{};
};

// Whom an invitation is for: an account (by username, resolved by the caller) or an address.
struct Invitee {
    std::optional<std::int64_t> user_id;
    std::optional<std::string> email;  // lowercased by the store
};

struct Invitation {
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string org_name;
    std::string org_display_name;
    Invitee invitee;
    std::string invitee_username;  // empty for an email invitation
    Role role = Role::member;
    std::string status;  // pending | accepted | declined | revoked
    std::chrono::sys_seconds created_at{};
    std::chrono::sys_seconds expires_at{};
};

struct CreatedInvitation {
    Invitation invitation;
    std::string token;  // for the mail's link, shown nowhere else; stored only as SHA-256
};

// Who is answering an invitation: the signed-in account and its verified addresses.
struct Respondent {
    std::int64_t user_id = 0;
    std::vector<std::string> verified_emails;
};

struct StoreOptions {
    std::string free_plan = "free-2x";  // each new organization's billing account starts on it
    std::chrono::seconds invitation_ttl{std::chrono::days(7)};
};

// The tables orgs, org_members and org_invitations (schema/*/0034_orgs.sql). Every method that
// acts for someone takes the actor's user id and checks the actor's role in the same
// transaction (org/permissions.h); an organization the actor is not in is not_found. Times come
// from the caller. Errors: the Codes in org/error.h.
class OrgStore {
public:
    OrgStore(store::Database& db, StoreOptions options = {}) : db_(db), options_(options) {}

    // A new organization owned by `user_id`, with its billing account on the free plan, in one
    // transaction. The name is lowercased. Errors: invalid_name, invalid_display_name,
    // name_taken.
    Result<Org> create(std::int64_t user_id, std::string_view name, std::string_view display_name,
                       std::chrono::sys_seconds now);

    // The organization when `user_id` is in it, with the role. Errors: not_found.
    Result<Membership> membership(std::int64_t org_id, std::int64_t user_id);
    // All of `user_id`'s organizations, in name order (org::MembershipLookup).
    Result<std::vector<Membership>> memberships(std::int64_t user_id);
    // The members of an organization `viewer` is in, owner first, then by username.
    Result<std::vector<Member>> members(std::int64_t viewer, std::int64_t org_id);

    // Invites `invitee` with `role` (admin or member), valid options.invitation_ttl. Errors:
    // forbidden (a member), invalid_role, already_member.
    Result<CreatedInvitation> invite(std::int64_t actor, std::int64_t org_id,
                                     const Invitee& invitee, Role role, auth::RandomSource& random,
                                     std::chrono::sys_seconds now);
    // Pending, unexpired invitations of an organization `viewer` is in.
    Result<std::vector<Invitation>> pending_of_org(std::int64_t viewer, std::int64_t org_id,
                                                   std::chrono::sys_seconds now);
    // Pending, unexpired invitations addressed to the respondent's account or verified emails.
    Result<std::vector<Invitation>> pending_for(const Respondent& who,
                                                std::chrono::sys_seconds now);
    // The invitation a mail's link names. Errors: not_found.
    Result<Invitation> find_by_token(std::string_view token);
    // Joins the organization with the invitation's role. Errors: not_found, wrong_invitee,
    // invitation_closed, invitation_expired, already_member.
    Result<Membership> accept(std::int64_t invitation_id, const Respondent& who,
                              std::chrono::sys_seconds now);
    // Errors: as accept() (but never already_member).
    Result<void> decline(std::int64_t invitation_id, const Respondent& who,
                         std::chrono::sys_seconds now);
    // Errors: forbidden, not_found, invitation_closed.
    Result<void> revoke(std::int64_t actor, std::int64_t org_id, std::int64_t invitation_id,
                        std::chrono::sys_seconds now);

    // Sets `target`'s role to admin or member. Errors: forbidden, not_found, invalid_role,
    // owner_must_transfer (the target is the owner).
    Result<void> change_role(std::int64_t actor, std::int64_t org_id, std::int64_t target,
                             Role role);
    // Errors: forbidden, not_found, owner_must_transfer.
    Result<void> remove(std::int64_t actor, std::int64_t org_id, std::int64_t target);
    // Errors: not_found, owner_must_transfer.
    Result<void> leave(std::int64_t user_id, std::int64_t org_id);
    // Makes member `new_owner` the owner and the old owner an admin. Decided by conditional
    // UPDATEs, so of two racing transfers one wins and the other is refused (forbidden), and
    // the organization keeps exactly one owner. Errors: forbidden, not_found.
    Result<void> transfer(std::int64_t actor, std::int64_t org_id, std::int64_t new_owner);
    // Deletes the organization, its members and invitations; its billing account and records
    // stay (ids are never reused). Errors: forbidden, not_found, balance_not_zero.
    Result<void> remove_org(std::int64_t actor, std::int64_t org_id);

private:
    store::Database& db_;
    StoreOptions options_;
};

// org::MembershipLookup over `db` (which must outlive it), for the claims, the account center
// and API keys: OrgStore::memberships, database failures as store errors.
MembershipLookup membership_lookup(store::Database& db);

// The handle rule: 3–32 of a–z, 0–9, '-', '_', starting with a letter or digit, not all digits.
bool is_valid_name(std::string_view name);

}  // namespace idpd::org
