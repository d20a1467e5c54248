#include "auth/session_store.h"

#include <algorithm>
#include <array>

#include <openssl/sha.h>

#include "store/epoch.h"

namespace idpd::auth {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::size_t token_bytes = 32;
constexpr std::size_t max_user_agent = 512;
constexpr std::size_t max_ip = 45;

constexpr std::string_view columns =
    "id, user_id, created_at, last_seen_at, idle_expires_at, expires_at, persistent, ip, "
    "user_agent, auth_time, amr, revoked_at, mfa_at, reauth_at";

using store::at;
using store::epoch;

Session read(const store::Row& row) {
    Session s;
    s.id = row.integer(0);
    s.user_id = row.integer(1);
    s.created_at = at(row.integer(2));
    s.last_seen_at = at(row.integer(3));
    s.idle_expires_at = at(row.integer(4));
    s.expires_at = at(row.integer(5));
    s.persistent = row.integer(6) != 0;
    s.ip = row.text(7);
    s.user_agent = row.text(8);
    s.auth_time = at(row.integer(9));
    s.amr = row.text(10);
    if (auto revoked = row.optional_integer(11)) {
        s.revoked_at = at(*revoked);
    }
    if (auto mfa = row.optional_integer(12)) {
        s.mfa_at = at(*mfa);
    }
    if (auto reauth = row.optional_integer(13)) {
        s.reauth_at = at(*reauth);
    }
    return s;
}

// Printable ASCII only, at most `limit` bytes: headers are ASCII, and anything else would be
// refused by a strict utf8mb4 column or shown garbled on the account page.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (char c : text.substr(0, std::min(text.size(), limit))) {
        out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out;
}

// The stored form of a cookie value, or nullopt when it cannot be one of ours.
std::optional<store::Blob> token_hash(std::string_view token) {
    if (token.size() != 2 * token_bytes ||
        token.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return std::nullopt;
    }
    return store::Blob{sha256(token)};
}

bool live(const Session& s, sys_seconds now) {
    return !s.revoked_at && now < s.idle_expires_at && now < s.expires_at;
}

}  // namespace

std::string sha256(std::string_view text) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

store::Result<IssuedSession> SessionStore::create(const NewSession& session, sys_seconds now) {
    std::array<std::uint8_t, token_bytes> raw{};
    random_.fill(raw);
    IssuedSession issued;
    issued.token = to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    const seconds idle =
        session.persistent ? options_.remember_idle_timeout : options_.idle_timeout;
    const seconds absolute =
        session.persistent ? options_.remember_absolute_timeout : options_.absolute_timeout;
    Session& s = issued.session;
    s.user_id = session.user_id;
    s.created_at = now;
    s.last_seen_at = now;
    s.expires_at = now + absolute;
    s.idle_expires_at = std::min(now + idle, s.expires_at);
    s.persistent = session.persistent;
    s.ip = printable(session.ip, max_ip);
    s.user_agent = printable(session.user_agent, max_user_agent);
    s.auth_time = now;
    s.amr = printable(session.amr, 64);
    if (session.second_factor) {
        s.mfa_at = now;
    }
    auto inserted = db_.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_timeout, "
        "idle_expires_at, expires_at, persistent, ip, user_agent, auth_time, amr, mfa_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {store::Blob{sha256(issued.token)}, s.user_id, epoch(now), epoch(now), idle.count(),
         epoch(s.idle_expires_at), epoch(s.expires_at), std::int64_t{s.persistent ? 1 : 0}, s.ip,
         s.user_agent, epoch(now), s.amr,
         s.mfa_at ? store::Value{epoch(*s.mfa_at)} : store::Value{}});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    s.id = inserted->last_insert_id;
    return issued;
}

store::Result<Session> SessionStore::find(std::string_view token, sys_seconds now) {
    auto hash = token_hash(token);
    if (!hash) {
        return store::fail(store::Error::Kind::not_found, "not a session token");
    }
    auto rows = db_.query(
        "SELECT " + std::string(columns) + ", idle_timeout FROM sessions " + "WHERE token_hash = ?",
        {*hash});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such session");
    }
    Session s = read(rows->front());
    if (!live(s, now)) {
        return store::fail(store::Error::Kind::not_found, "the session has ended");
    }
    if (now - s.last_seen_at >= options_.touch_interval) {
        const seconds idle{rows->front().integer(14)};
        s.last_seen_at = now;
        s.idle_expires_at = std::min(now + idle, s.expires_at);
        auto touched = db_.execute(
            "UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ? AND "
            "revoked_at IS NULL",
            {epoch(now), epoch(s.idle_expires_at), s.id});
        if (!touched) {
            return std::unexpected(touched.error());
        }
    }
    return s;
}

store::Result<void> SessionStore::revoke(std::string_view token, sys_seconds now) {
    auto hash = token_hash(token);
    if (!hash) {
        return {};
    }
    auto done = db_.execute(
        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        {epoch(now), *hash});
    if (!done) {
        return std::unexpected(done.error());
    }
    return {};
}

store::Result<void> SessionStore::revoke_by_id(std::int64_t user_id, std::int64_t session_id,
                                               sys_seconds now) {
    auto done = db_.execute(
        "UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL "
        "AND idle_expires_at > ? AND expires_at > ?",
        {epoch(now), session_id, user_id, epoch(now), epoch(now)});
    if (!done) {
        return std::unexpected(done.error());
    }
    if (done->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such live session");
    }
    return {};
}

store::Result<std::uint64_t> SessionStore::revoke_all(std::int64_t user_id, std::int64_t keep_id,
                                                      sys_seconds now) {
    auto done = db_.execute(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
        {epoch(now), user_id, keep_id});
    if (!done) {
        return std::unexpected(done.error());
    }
    return done->affected_rows;
}

store::Result<std::vector<Session>> SessionStore::list_live(std::int64_t user_id, sys_seconds now) {
    auto rows = db_.query("SELECT " + std::string(columns) +
                              " FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND "
                              "idle_expires_at > ? AND expires_at > ? "
                              "ORDER BY last_seen_at DESC, id DESC",
                          {user_id, epoch(now), epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Session> sessions;
    for (const auto& row : *rows) {
        sessions.push_back(read(row));
    }
    return sessions;
}

store::Result<void> SessionStore::record_second_factor(std::int64_t session_id,
                                                       std::string_view amr, sys_seconds now) {
    auto done = db_.execute(
        "UPDATE sessions SET mfa_at = ?, amr = ? WHERE id = ? AND revoked_at IS NULL AND "
        "idle_expires_at > ? AND expires_at > ?",
        {epoch(now), printable(amr, 64), session_id, epoch(now), epoch(now)});
    if (!done) {
        return std::unexpected(done.error());
    }
    if (done->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such live session");
    }
    return {};
}

store::Result<void> SessionStore::record_reauth(std::int64_t session_id, sys_seconds now) {
    auto done = db_.execute(
        "UPDATE sessions SET reauth_at = ? WHERE id = ? AND revoked_at IS NULL AND "
        "idle_expires_at > ? AND expires_at > ?",
        {epoch(now), session_id, epoch(now), epoch(now)});
    if (!done) {
        return std::unexpected(done.error());
    }
    if (done->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such live session");
    }
    return {};
}

store::Result<std::uint64_t> SessionStore::delete_ended(sys_seconds before) {
    auto done = db_.execute(
        "DELETE FROM sessions WHERE expires_at < ? OR idle_expires_at < ? OR revoked_at < ?",
        {epoch(before), epoch(before), epoch(before)});
    if (!done) {
        return std::unexpected(done.error());
    }
    return done->affected_rows;
}

}  // namespace idpd::auth
