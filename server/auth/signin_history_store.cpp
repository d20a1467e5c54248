#include "auth/signin_history_store.h"

namespace idpd::auth {
namespace {

// Stored text stays within the MySQL columns (schema 0026).
std::string cut(const std::string& text, std::size_t max) {
    return text.size() <= max ? text : text.substr(0, max);
}

}  // namespace

store::Result<void> SigninHistoryStore::record(const SigninAttempt& attempt) {
    return db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto inserted = tx.execute(
            "INSERT INTO signin_history (user_id, occurred_at, ip, device, method, success) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {attempt.user_id, attempt.occurred_at.time_since_epoch().count(), cut(attempt.ip, 64),
             cut(attempt.device, 128), cut(attempt.method, 64),
             std::int64_t{attempt.success ? 1 : 0}});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        // The id of the oldest row to keep; MySQL cannot DELETE with a subquery on the same
        // table, so it is read first.
        auto oldest = tx.query(
            "SELECT id FROM signin_history WHERE user_id = ? ORDER BY id DESC LIMIT 1 OFFSET " +
                std::to_string(keep - 1),
            {attempt.user_id});
        if (!oldest) {
            return std::unexpected(oldest.error());
        }
        if (oldest->empty()) {
            return {};
        }
        auto trimmed = tx.execute("DELETE FROM signin_history WHERE user_id = ? AND id < ?",
                                  {attempt.user_id, oldest->front().integer(0)});
        if (!trimmed) {
            return std::unexpected(trimmed.error());
        }
        return {};
    });
}

store::Result<std::vector<SigninAttempt>> SigninHistoryStore::recent(std::int64_t user_id) {
    auto rows = db_.query(
        "SELECT occurred_at, ip, device, method, success FROM signin_history WHERE user_id = ? "
        "ORDER BY id DESC LIMIT " +
            std::to_string(keep),
        {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<SigninAttempt> out;
    for (const auto& row : *rows) {
        out.push_back({user_id, std::chrono::sys_seconds{std::chrono::seconds{row.integer(0)}},
                       row.text(1), row.text(2), row.text(3), row.integer(4) != 0});
    }
    return out;
}

}  // namespace idpd::auth
