#include "federation/binding_store.h"

#include "store/dialect.h"

namespace idpd::federation {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

constexpr std::string_view columns =
    "SELECT id, user_id, provider, subject, username, display_name, created_at FROM "
    "federation_identities ";

Binding binding_of(const store::Row& row) {
    return Binding{row.integer(0),
                   row.integer(1),
                   row.text(2),
                   row.text(3),
                   row.text(4),
                   row.text(5),
                   std::chrono::sys_seconds(std::chrono::seconds(row.integer(6)))};
}

store::Result<std::optional<Binding>> by_subject(store::Database& db, const std::string& provider,
                                                 const std::string& subject) {
    auto rows =
        db.query(std::string(columns) + "WHERE provider = ? AND subject = ?", {provider, subject});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return binding_of(rows->front());
}

store::Result<void> record_bonus(store::Database& tx, std::int64_t user_id,
                                 const UpstreamIdentity& identity, std::chrono::sys_seconds now,
                                 const BonusGrant& grant) {
    auto seen = tx.query("SELECT 1 FROM federation_bonus_events WHERE user_id = ? AND kind = ?",
                         {user_id, std::string(wechat_bonus_kind)});
    if (!seen) {
        return std::unexpected(seen.error());
    }
    if (!seen->empty()) {
        return {};  // once per account, also after an unbind and a new bind
    }
    auto added = tx.execute(
        "INSERT INTO federation_bonus_events (user_id, kind, provider, subject, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {user_id, std::string(wechat_bonus_kind), identity.provider, identity.subject, epoch(now)});
    if (!added) {
        return std::unexpected(added.error());
    }
    if (!grant) {
        return {};  // no billing: the event waits with credited_at NULL
    }
    // Credited once per event: only the UPDATE that sets credited_at calls the grant.
    auto marked = tx.execute(
        "UPDATE federation_bonus_events SET credited_at = ? WHERE id = ? AND credited_at IS NULL",
        {epoch(now), added->last_insert_id});
    if (!marked) {
        return std::unexpected(marked.error());
    }
    if (marked->affected_rows != 1) {
        return {};
    }
    return grant(tx, user_id, now);
}

}  // namespace

store::Result<std::optional<Binding>> BindingStore::find(const UpstreamIdentity& identity) {
    auto found = by_subject(db_, identity.provider, identity.subject);
    if (!found || *found) {
        return found;
    }
    for (const auto& previous : identity.previous_subjects) {
        auto old = by_subject(db_, identity.provider, previous);
        if (!old) {
            return old;
        }
        if (!*old) {
            continue;
        }
        // The same person under a better id: keep the binding, under the id that lasts.
        auto moved = db_.execute("UPDATE federation_identities SET subject = ? WHERE id = ?",
                                 {identity.subject, (*old)->id});
        if (!moved && moved.error().kind != store::Error::Kind::conflict) {
            return std::unexpected(moved.error());
        }
        if (moved) {
            (*old)->subject = identity.subject;
        }
        return old;
    }
    return std::nullopt;
}

store::Result<BindOutcome> BindingStore::bind(std::int64_t user_id,
                                              const UpstreamIdentity& identity,
                                              std::chrono::sys_seconds now) {
    BindOutcome outcome = BindOutcome::bound;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        BindingStore in_tx{tx, grant_};
        auto existing = in_tx.find(identity);
        if (!existing) {
            return std::unexpected(existing.error());
        }
        if (*existing) {
            outcome =
                (*existing)->user_id == user_id ? BindOutcome::bound : BindOutcome::identity_taken;
            return {};
        }
        auto same_provider =
            tx.query("SELECT 1 FROM federation_identities WHERE user_id = ? AND provider = ?",
                     {user_id, identity.provider});
        if (!same_provider) {
            return std::unexpected(same_provider.error());
        }
        if (!same_provider->empty()) {
            outcome = BindOutcome::provider_taken;
            return {};
        }
        auto inserted = tx.execute(
            "INSERT INTO federation_identities (user_id, provider, subject, username, "
            "display_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            {user_id, identity.provider, identity.subject, identity.username.substr(0, 190),
             identity.display_name.substr(0, 190), epoch(now)});
        if (!inserted) {
            if (inserted.error().kind == store::Error::Kind::conflict) {
                // A concurrent bind won: the UNIQUE key decided.
                outcome = BindOutcome::identity_taken;
                return {};
            }
            return std::unexpected(inserted.error());
        }
        outcome = BindOutcome::bound;
        if (identity.provider == "wechat") {
            return record_bonus(tx, user_id, identity, now, grant_);
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

store::Result<std::vector<Binding>> BindingStore::list(std::int64_t user_id) {
    auto rows =
        db_.query(std::string(columns) + "WHERE user_id = ? ORDER BY created_at, id", {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Binding> out;
    for (const auto& row : *rows) {
        out.push_back(binding_of(row));
    }
    return out;
}

store::Result<UnbindOutcome> BindingStore::unbind(std::int64_t user_id, std::int64_t binding_id) {
    UnbindOutcome outcome = UnbindOutcome::unbound;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto user = tx.query("SELECT password_hash FROM users WHERE id = ?" +
                                 std::string(store::for_update(tx.dialect())),
                             {user_id});
        if (!user) {
            return std::unexpected(user.error());
        }
        auto mine = tx.query("SELECT id FROM federation_identities WHERE user_id = ?", {user_id});
        if (!mine) {
            return std::unexpected(mine.error());
        }
        bool owned = false;
        for (const auto& row : *mine) {
            owned = owned || row.integer(0) == binding_id;
        }
        if (user->empty() || !owned) {
            outcome = UnbindOutcome::not_found;
            return {};
        }
        const bool has_password = !user->front().is_null(0);
        if (!has_password && mine->size() <= 1) {
            outcome = UnbindOutcome::last_method;
            return {};
        }
        auto deleted = tx.execute("DELETE FROM federation_identities WHERE id = ? AND user_id = ?",
                                  {binding_id, user_id});
        if (!deleted) {
            return std::unexpected(deleted.error());
        }
        outcome = UnbindOutcome::unbound;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

store::Result<std::int64_t> BindingStore::bonus_events(std::int64_t user_id,
                                                       std::string_view kind) {
    auto rows =
        db_.query("SELECT COUNT(*) FROM federation_bonus_events WHERE user_id = ? AND kind = ?",
                  {user_id, std::string(kind)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return rows->empty() ? 0 : rows->front().integer(0);
}

}  // namespace idpd::federation
