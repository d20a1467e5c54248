#include "auth/pending_login_store.h"

#include <array>

#include "auth/session_store.h"

namespace idpd::auth {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::chrono::sys_seconds at(std::int64_t s) {
    return std::chrono::sys_seconds{std::chrono::seconds{s}};
}

}  // namespace

std::string new_hex_token(RandomSource& random) {
    std::array<std::uint8_t, 32> raw{};
    random.fill(raw);
    return to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::optional<store::Blob> hex_token_hash(std::string_view token) {
    if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return std::nullopt;
    }
    return store::Blob{sha256(token)};
}

store::Result<std::string> PendingLoginStore::create(PendingLogin login,
                                                     std::chrono::sys_seconds now,
                                                     std::chrono::seconds ttl) {
    std::string token = new_hex_token(random_);
    auto inserted = db_.execute(
        "INSERT INTO pending_logins (token_hash, user_id, amr, return_to, persistent, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {*hex_token_hash(token), login.user_id, login.amr, login.return_to,
         std::int64_t{login.persistent ? 1 : 0}, epoch(now), epoch(now + ttl)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return token;
}

store::Result<PendingLogin> PendingLoginStore::find(std::string_view token,
                                                    std::chrono::sys_seconds now) {
    auto hash = hex_token_hash(token);
    if (!hash) {
        return store::fail(store::Error::Kind::not_found, "not a pending login token");
    }
    auto rows = db_.query(
        "SELECT user_id, amr, return_to, persistent, created_at, expires_at FROM pending_logins "
        "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        {*hash, epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such pending login");
    }
    const store::Row& row = rows->front();
    return PendingLogin{row.integer(0),      row.text(1),        row.text(2),
                        row.integer(3) != 0, at(row.integer(4)), at(row.integer(5))};
}

store::Result<bool> PendingLoginStore::finish(std::string_view token,
                                              std::chrono::sys_seconds now) {
    auto hash = hex_token_hash(token);
    if (!hash) {
        return false;
    }
    auto done = db_.execute(
        "UPDATE pending_logins SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND "
        "expires_at > ?",
        {epoch(now), *hash, epoch(now)});
    if (!done) {
        return std::unexpected(done.error());
    }
    return done->affected_rows == 1;
}

store::Result<std::uint64_t> PendingLoginStore::delete_expired(std::chrono::sys_seconds before) {
    auto done = db_.execute("DELETE FROM pending_logins WHERE expires_at < ?", {epoch(before)});
    if (!done) {
        return std::unexpected(done.error());
    }
    return done->affected_rows;
}

}  // namespace idpd::auth
