#include "org/org_store.h"

#include <algorithm>

#include "billing/account_store.h"
#include "org/permissions.h"
#include "store/dialect.h"
#include "store/epoch.h"

namespace idpd::org {
namespace {

using store::epoch;

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The actor's role in `org_id`, the row locked when `lock` (so a check and the change it
// allows commit together). not_found when the actor is not a member.
Result<Role> role_of(store::Database& db, std::int64_t org_id, std::int64_t user_id,
                     bool lock = false) {
    std::string sql = "SELECT role FROM org_members WHERE org_id = ? AND user_id = ?";
    if (lock) {
        sql += store::for_update(db.dialect());
    }
    auto rows = db.query(sql, {org_id, user_id});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Code::not_found, "no such organization member");
    }
    return parse_role(rows->front().text(0)).value_or(Role::member);
}

// A billing error met inside an org transaction: a store cause travels on, so the store can
// retry a deadlock.
std::unexpected<Error> from_billing(const billing::Error& error) {
    return std::unexpected(Error{Code::unavailable, error.message, error.cause});
}

Membership membership_of(const store::Row& row) {
    return Membership{row.integer(0), row.text(1), row.text(2),
                      parse_role(row.text(3)).value_or(Role::member)};
}

constexpr std::string_view membership_columns =
    "SELECT o.id, o.name, o.display_name, m.role FROM org_members m "
    "JOIN orgs o ON o.id = m.org_id ";

}  // namespace

bool is_valid_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 32) {
        return false;
    }
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    };
    if (!std::ranges::all_of(name, allowed) || name.front() == '-' || name.front() == '_') {
        return false;
    }
    return !std::ranges::all_of(name, [](char c) { return c >= '0' && c <= '9'; });
}

Result<Org> OrgStore::create(std::int64_t user_id, std::string_view name,
                             std::string_view display_name, std::chrono::sys_seconds now) {
    const std::string handle = lowercase(name);
    if (!is_valid_name(handle)) {
        return fail(Code::invalid_name,
                    "a name has 3 to 32 of a-z, 0-9, '-' and '_', starts with a letter or digit "
                    "and is not all digits");
    }
    std::string shown(display_name);
    if (shown.empty() || shown.size() > 64 || shown.find_first_of("\r\n\t") != std::string::npos) {
        return fail(Code::invalid_display_name, "a display name has 1 to 64 characters");
    }
    Org org{0, handle, shown, now};
    auto done = in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto inserted = tx.execute(
            "INSERT INTO orgs (name, display_name, created_by, created_at) VALUES (?, ?, ?, ?)",
            {handle, shown, user_id, epoch(now)});
        if (!inserted) {
            if (inserted.error().kind == store::Error::Kind::conflict) {
                return fail(Code::name_taken, "another organization has this name");
            }
            return from_store(inserted.error());
        }
        org.id = inserted->last_insert_id;
        auto owner = tx.execute(
            "INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
            {org.id, user_id, std::string("owner"), epoch(now)});
        if (!owner) {
            return from_store(owner.error());
        }
        auto account = billing::AccountStore(tx).open({billing::OwnerKind::org, org.id},
                                                      options_.free_plan, now);
        if (!account) {
            return from_billing(account.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return org;
}

MembershipLookup membership_lookup(store::Database& db) {
    return [&db](std::int64_t user_id) -> store::Result<std::vector<Membership>> {
        auto found = OrgStore(db).memberships(user_id);
        if (!found) {
            return found.error().cause
                       ? std::unexpected(*found.error().cause)
                       : store::fail(store::Error::Kind::unavailable, found.error().message);
        }
        return std::move(*found);
    };
}

Result<Membership> OrgStore::membership(std::int64_t org_id, std::int64_t user_id) {
    auto rows = db_.query(std::string(membership_columns) + "WHERE m.org_id = ? AND m.user_id = ?",
                          {org_id, user_id});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Code::not_found, "no such organization");
    }
    return membership_of(rows->front());
}

Result<std::vector<Membership>> OrgStore::memberships(std::int64_t user_id) {
    auto rows = db_.query(std::string(membership_columns) + "WHERE m.user_id = ? ORDER BY o.name",
                          {user_id});
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<Membership> out;
    for (const auto& row : *rows) {
        out.push_back(membership_of(row));
    }
    return out;
}

Result<std::vector<Member>> OrgStore::members(std::int64_t viewer, std::int64_t org_id) {
    if (auto role = role_of(db_, org_id, viewer); !role) {
        return std::unexpected(role.error());
    }
    // Usernames come from account/'s users table; a read-only join keeps this one query.
    auto rows = db_.query(
        "SELECT m.user_id, u.username, m.role, m.created_at FROM org_members m "
        "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.username",
        {org_id});
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<Member> out;
    for (const auto& row : *rows) {
        out.push_back(Member{row.integer(0), row.text(1),
                             parse_role(row.text(2)).value_or(Role::member),
                             store::at(row.integer(3))});
    }
    std::ranges::stable_partition(out, [](const Member& m) { return m.role == Role::owner; });
    return out;
}

Result<void> OrgStore::change_role(std::int64_t actor, std::int64_t org_id, std::int64_t target,
                                   Role role) {
    if (role == Role::owner) {
        return fail(Code::invalid_role, "ownership moves only by a transfer");
    }
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto mine = role_of(tx, org_id, actor, true);
        if (!mine) {
            return std::unexpected(mine.error());
        }
        if (!can_manage_members(*mine)) {
            return fail(Code::forbidden, "only the owner or an admin may change roles");
        }
        auto theirs = role_of(tx, org_id, target, true);
        if (!theirs) {
            return std::unexpected(theirs.error());
        }
        if (*theirs == Role::owner) {
            return fail(Code::owner_must_transfer, "the owner's role changes only by a transfer");
        }
        // `role <> 'owner'`: a transfer that made the target owner meanwhile is not undone.
        auto changed = tx.execute(
            "UPDATE org_members SET role = ? WHERE org_id = ? AND user_id = ? AND role <> 'owner'",
            {std::string(role_name(role)), org_id, target});
        if (!changed) {
            return from_store(changed.error());
        }
        return {};
    });
}

Result<void> OrgStore::remove(std::int64_t actor, std::int64_t org_id, std::int64_t target) {
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto mine = role_of(tx, org_id, actor, true);
        if (!mine) {
            return std::unexpected(mine.error());
        }
        if (!can_manage_members(*mine)) {
            return fail(Code::forbidden, "only the owner or an admin may remove members");
        }
        auto theirs = role_of(tx, org_id, target, true);
        if (!theirs) {
            return std::unexpected(theirs.error());
        }
        if (!can_act_on(*mine, *theirs)) {
            return fail(Code::owner_must_transfer, "the owner cannot be removed");
        }
        auto gone = tx.execute(
            "DELETE FROM org_members WHERE org_id = ? AND user_id = ? AND role <> 'owner'",
            {org_id, target});
        if (!gone) {
            return from_store(gone.error());
        }
        return {};
    });
}

Result<void> OrgStore::leave(std::int64_t user_id, std::int64_t org_id) {
    auto gone =
        db_.execute("DELETE FROM org_members WHERE org_id = ? AND user_id = ? AND role <> 'owner'",
                    {org_id, user_id});
    if (!gone) {
        return from_store(gone.error());
    }
    if (gone->affected_rows == 1) {
        return {};
    }
    auto role = role_of(db_, org_id, user_id);
    if (!role) {
        return std::unexpected(role.error());
    }
    return fail(Code::owner_must_transfer, "the owner cannot leave: transfer ownership first");
}

Result<void> OrgStore::transfer(std::int64_t actor, std::int64_t org_id, std::int64_t new_owner) {
    if (actor == new_owner) {
        return fail(Code::invalid_role, "you are the owner already");
    }
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto theirs = role_of(tx, org_id, new_owner);
        if (!theirs) {
            return std::unexpected(theirs.error());
        }
        // The conditional UPDATE decides: only the current owner's row matches, and a racing
        // transfer that committed first leaves it matching nothing.
        auto stepped_down = tx.execute(
            "UPDATE org_members SET role = 'admin' WHERE org_id = ? AND user_id = ? AND "
            "role = 'owner'",
            {org_id, actor});
        if (!stepped_down) {
            return from_store(stepped_down.error());
        }
        if (stepped_down->affected_rows != 1) {
            return fail(Code::forbidden, "only the owner may transfer ownership");
        }
        auto promoted = tx.execute(
            "UPDATE org_members SET role = 'owner' WHERE org_id = ? AND user_id = ? AND "
            "role <> 'owner'",
            {org_id, new_owner});
        if (!promoted) {
            return from_store(promoted.error());
        }
        if (promoted->affected_rows != 1) {
            return fail(Code::not_found, "the new owner is not a member");
        }
        return {};
    });
}

Result<void> OrgStore::remove_org(std::int64_t actor, std::int64_t org_id) {
    return in_transaction(db_, [&](store::Database& tx) -> Result<void> {
        auto mine = role_of(tx, org_id, actor, true);
        if (!mine) {
            return std::unexpected(mine.error());
        }
        if (!can_transfer_or_delete(*mine)) {
            return fail(Code::forbidden, "only the owner may delete the organization");
        }
        billing::AccountStore accounts(tx);
        auto account = accounts.find({billing::OwnerKind::org, org_id});
        if (account) {
            // Locked, so a top-up cannot land between this check and the delete.
            auto locked = accounts.get_for_update(account->id);
            if (!locked) {
                return from_billing(locked.error());
            }
            if (locked->balance_fen != 0) {
                return fail(Code::balance_not_zero,
                            "the organization's balance is not zero; spend it first");
            }
        } else if (account.error().kind != billing::Error::Kind::not_found) {
            return from_billing(account.error());
        }
        for (const char* sql : {"DELETE FROM org_invitations WHERE org_id = ?",
                                "DELETE FROM org_members WHERE org_id = ?",
                                "DELETE FROM org_session_contexts WHERE org_id = ?",
                                "DELETE FROM orgs WHERE id = ?"}) {
            auto gone = tx.execute(sql, {org_id});
            if (!gone) {
                return from_store(gone.error());
            }
        }
        return {};
    });
}

}  // namespace idpd::org
