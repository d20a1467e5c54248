#include "oidc/session_client_store.h"

namespace idpd::oidc {

store::Result<void> SessionClientStore::add(const SessionClient& entry) {
    auto inserted = db_.execute(
        "INSERT INTO session_clients (sid, client_id, subject, created_at) VALUES (?, ?, ?, ?)",
        {entry.sid, entry.client_id, entry.subject, entry.created_at});
    if (!inserted && inserted.error().kind != store::Error::Kind::conflict) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<std::vector<SessionClient>> SessionClientStore::take(std::string_view sid) {
    auto rows = db_.query(
        "SELECT client_id, subject, created_at FROM session_clients WHERE sid = ? ORDER BY "
        "client_id",
        {std::string(sid)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<SessionClient> taken;
    for (const auto& row : *rows) {
        SessionClient entry{std::string(sid), row.text(0), row.text(1), row.integer(2)};
        auto deleted = db_.execute("DELETE FROM session_clients WHERE sid = ? AND client_id = ?",
                                   {entry.sid, entry.client_id});
        if (!deleted) {
            return std::unexpected(deleted.error());
        }
        if (deleted->affected_rows == 1) {
            taken.push_back(std::move(entry));
        }
    }
    return taken;
}

store::Result<std::uint64_t> SessionClientStore::delete_created_before(std::int64_t before) {
    auto deleted = db_.execute("DELETE FROM session_clients WHERE created_at < ?", {before});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::oidc
