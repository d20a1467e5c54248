#include "account/profile_store.h"

#include "store/dialect.h"

namespace idpd::account {
namespace {

using std::chrono::sys_seconds;

std::int64_t epoch(sys_seconds t) {
    return t.time_since_epoch().count();
}

// Locks the account's row for the rest of the transaction; its current username, or not_found.
store::Result<std::string> lock_user(store::Database& tx, std::int64_t user_id) {
    auto rows = tx.query(
        "SELECT username FROM users WHERE id = ?" + std::string(store::for_update(tx.dialect())),
        {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such user");
    }
    return rows->front().text(0);
}

struct EmailRow {
    std::int64_t id = 0;
    std::string canonical;
    bool verified = false;
    bool primary = false;
};

store::Result<std::vector<EmailRow>> email_rows(store::Database& tx, std::int64_t user_id) {
    auto rows = tx.query(
        "SELECT id, email_canonical, verified_at, is_primary FROM user_emails WHERE user_id = ? "
        "ORDER BY id",
        {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<EmailRow> out;
    for (const auto& row : *rows) {
        out.push_back({row.integer(0), row.text(1), row.optional_integer(2).has_value(),
                       row.integer(3) != 0});
    }
    return out;
}

}  // namespace

store::Result<std::optional<sys_seconds>> ProfileStore::last_rename(std::int64_t user_id) {
    auto rows =
        db_.query("SELECT MAX(changed_at) FROM username_changes WHERE user_id = ?", {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    if (auto at = rows->front().optional_integer(0)) {
        return sys_seconds{std::chrono::seconds{*at}};
    }
    return std::nullopt;
}

store::Result<RenameOutcome> ProfileStore::rename(std::int64_t user_id, const Username& name,
                                                  std::chrono::seconds cooldown, sys_seconds now) {
    RenameOutcome outcome;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        outcome = {};
        auto current = lock_user(tx, user_id);
        if (!current) {
            return std::unexpected(current.error());
        }
        if (*current == name.text) {
            outcome.kind = RenameOutcome::Kind::unchanged;
            return {};
        }
        ProfileStore in_tx(tx);
        auto last = in_tx.last_rename(user_id);
        if (!last) {
            return std::unexpected(last.error());
        }
        if (*last && now < **last + cooldown) {
            outcome.kind = RenameOutcome::Kind::too_soon;
            outcome.allowed_at = **last + cooldown;
            return {};
        }
        auto updated = tx.execute(
            "UPDATE users SET username = ?, username_canonical = ?, updated_at = ? WHERE id = ?",
            {name.text, name.canonical, epoch(now), user_id});
        if (!updated) {
            if (updated.error().kind == store::Error::Kind::conflict) {
                outcome.kind = RenameOutcome::Kind::taken;
                return {};
            }
            return std::unexpected(updated.error());
        }
        outcome.old_username = *current;
        auto logged = tx.execute(
            "INSERT INTO username_changes (user_id, old_username, changed_at) VALUES (?, ?, ?)",
            {user_id, *current, epoch(now)});
        if (!logged) {
            return std::unexpected(logged.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

store::Result<void> ProfileStore::set_display_name(std::int64_t user_id, std::string_view name,
                                                   sys_seconds now) {
    auto updated = db_.execute("UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
                               {std::string(name), epoch(now), user_id});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such user");
    }
    return {};
}

store::Result<EmailRemoval> ProfileStore::remove_email(std::int64_t user_id,
                                                       const EmailAddress& email,
                                                       bool has_verified_phone) {
    EmailRemoval result = EmailRemoval::removed;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        if (auto locked = lock_user(tx, user_id); !locked) {
            return std::unexpected(locked.error());
        }
        auto rows = email_rows(tx, user_id);
        if (!rows) {
            return std::unexpected(rows.error());
        }
        const EmailRow* target = nullptr;
        int verified = 0;
        for (const auto& row : *rows) {
            verified += row.verified ? 1 : 0;
            if (row.canonical == email.canonical) {
                target = &row;
            }
        }
        if (target == nullptr) {
            result = EmailRemoval::not_found;
            return {};
        }
        if (target->verified && verified == 1 && !has_verified_phone) {
            result = EmailRemoval::last_recovery;
            return {};
        }
        result = EmailRemoval::removed;
        if (auto gone = tx.execute("DELETE FROM user_emails WHERE id = ?", {target->id}); !gone) {
            return std::unexpected(gone.error());
        }
        if (!target->primary) {
            return {};
        }
        // The next primary: the oldest verified address left, else the oldest.
        const EmailRow* next = nullptr;
        for (const auto& row : *rows) {
            if (row.id != target->id && (next == nullptr || (row.verified && !next->verified))) {
                next = &row;
            }
        }
        if (next == nullptr) {
            return {};
        }
        auto promoted =
            tx.execute("UPDATE user_emails SET is_primary = 1 WHERE id = ?", {next->id});
        if (!promoted) {
            return std::unexpected(promoted.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return result;
}

store::Result<PrimaryChange> ProfileStore::set_primary_email(std::int64_t user_id,
                                                             const EmailAddress& email) {
    PrimaryChange result = PrimaryChange::changed;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        if (auto locked = lock_user(tx, user_id); !locked) {
            return std::unexpected(locked.error());
        }
        auto rows = email_rows(tx, user_id);
        if (!rows) {
            return std::unexpected(rows.error());
        }
        const EmailRow* target = nullptr;
        for (const auto& row : *rows) {
            if (row.canonical == email.canonical) {
                target = &row;
            }
        }
        if (target == nullptr) {
            result = PrimaryChange::not_found;
            return {};
        }
        if (!target->verified) {
            result = PrimaryChange::unverified;
            return {};
        }
        result = PrimaryChange::changed;
        auto updated = tx.execute(
            "UPDATE user_emails SET is_primary = CASE WHEN id = ? THEN 1 ELSE 0 END "
            "WHERE user_id = ?",
            {target->id, user_id});
        if (!updated) {
            return std::unexpected(updated.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return result;
}

store::Result<bool> ProfileStore::is_verified_elsewhere(std::int64_t user_id,
                                                        const EmailAddress& email) {
    auto rows = db_.query(
        "SELECT COUNT(*) FROM user_emails WHERE email_canonical = ? AND verified_at IS NOT NULL "
        "AND user_id <> ?",
        {email.canonical, user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return !rows->empty() && rows->front().integer(0) > 0;
}

}  // namespace idpd::account
