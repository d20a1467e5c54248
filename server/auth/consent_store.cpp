#include "auth/consent_store.h"

#include <algorithm>
#include <set>

#include "store/dialect.h"

namespace idpd::auth {
namespace {

std::vector<std::string> split(std::string_view text) {
    std::set<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (end > pos) {
            out.emplace(text.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return {out.begin(), out.end()};
}

std::string join(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        out += s;
    }
    return out;
}

Consent read(const store::Row& row) {
    return Consent{row.text(0), split(row.text(1)),
                   std::chrono::sys_seconds(std::chrono::seconds(row.integer(2)))};
}

}  // namespace

bool covers(const std::vector<std::string>& granted, const std::vector<std::string>& wanted) {
    return std::ranges::all_of(wanted, [&](const std::string& scope) {
        return std::ranges::find(granted, scope) != granted.end();
    });
}

store::Result<std::optional<Consent>> ConsentStore::find(std::int64_t user_id,
                                                         std::string_view client_id) {
    auto rows = db_.query(
        "SELECT client_id, scope, granted_at FROM consents WHERE user_id = ? AND client_id = ?",
        {user_id, std::string(client_id)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return read(rows->front());
}

store::Result<void> ConsentStore::grant(std::int64_t user_id, std::string_view client_id,
                                        const std::vector<std::string>& scopes,
                                        std::chrono::sys_seconds now) {
    const std::int64_t at = now.time_since_epoch().count();
    return db_.transaction([&](store::Database& tx) -> store::Result<void> {
        // Lock the row (or, on SQLite, the database) so two grants merge instead of one
        // overwriting the other.
        auto rows = tx.query("SELECT scope FROM consents WHERE user_id = ? AND client_id = ?" +
                                 std::string(store::for_update(tx.dialect())),
                             {user_id, std::string(client_id)});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        std::set<std::string> merged(scopes.begin(), scopes.end());
        if (!rows->empty()) {
            for (auto& s : split(rows->front().text(0))) {
                merged.insert(std::move(s));
            }
            auto updated = tx.execute(
                "UPDATE consents SET scope = ?, granted_at = ? WHERE user_id = ? AND client_id = ?",
                {join({merged.begin(), merged.end()}), at, user_id, std::string(client_id)});
            if (!updated) {
                return std::unexpected(updated.error());
            }
            return {};
        }
        auto inserted = tx.execute(
            "INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, ?, ?)",
            {user_id, std::string(client_id), join({merged.begin(), merged.end()}), at});
        if (!inserted) {
            // A concurrent first grant inserted the row: retrying merges into it.
            if (inserted.error().kind == store::Error::Kind::conflict) {
                return store::fail(store::Error::Kind::retry, "concurrent consent grant");
            }
            return std::unexpected(inserted.error());
        }
        return {};
    });
}

store::Result<std::vector<Consent>> ConsentStore::list(std::int64_t user_id) {
    auto rows = db_.query(
        "SELECT client_id, scope, granted_at FROM consents WHERE user_id = ? "
        "ORDER BY granted_at DESC, client_id",
        {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Consent> out;
    for (const auto& row : *rows) {
        out.push_back(read(row));
    }
    return out;
}

store::Result<bool> ConsentStore::withdraw(std::int64_t user_id, std::string_view client_id) {
    auto deleted = db_.execute("DELETE FROM consents WHERE user_id = ? AND client_id = ?",
                               {user_id, std::string(client_id)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows > 0;
}

}  // namespace idpd::auth
