#include "auth/trusted_browser_store.h"

#include "auth/pending_login_store.h"

namespace idpd::auth {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

}  // namespace

store::Result<std::string> TrustedBrowserStore::trust(std::int64_t user_id,
                                                      std::chrono::sys_seconds now,
                                                      std::chrono::seconds lifetime) {
    std::string token = new_hex_token(random_);
    auto inserted = db_.execute(
        "INSERT INTO trusted_browsers (token_hash, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)",
        {*hex_token_hash(token), user_id, epoch(now), epoch(now + lifetime)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return token;
}

store::Result<bool> TrustedBrowserStore::is_trusted(std::string_view token, std::int64_t user_id,
                                                    std::chrono::sys_seconds now) {
    auto hash = hex_token_hash(token);
    if (!hash) {
        return false;
    }
    auto rows = db_.query(
        "SELECT id FROM trusted_browsers WHERE token_hash = ? AND user_id = ? AND expires_at > ?",
        {*hash, user_id, epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return !rows->empty();
}

store::Result<void> TrustedBrowserStore::forget_all(std::int64_t user_id) {
    auto done = db_.execute("DELETE FROM trusted_browsers WHERE user_id = ?", {user_id});
    if (!done) {
        return std::unexpected(done.error());
    }
    return {};
}

store::Result<std::uint64_t> TrustedBrowserStore::delete_expired(std::chrono::sys_seconds before) {
    auto done = db_.execute("DELETE FROM trusted_browsers WHERE expires_at < ?", {epoch(before)});
    if (!done) {
        return std::unexpected(done.error());
    }
    return done->affected_rows;
}

}  // namespace idpd::auth
