#include "federation/pending_identity_store.h"

#include <nlohmann/json.hpp>

#include "auth/session_store.h"
#include "federation/login_state_store.h"

namespace idpd::federation {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

bool is_token(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

nlohmann::json to_json(const UpstreamIdentity& id) {
    nlohmann::json emails = nlohmann::json::array();
    for (const auto& e : id.emails) {
        emails.push_back({{"address", e.address}, {"verified", e.verified}});
    }
    return {{"provider", id.provider},          {"subject", id.subject},
            {"previous", id.previous_subjects}, {"username", id.username},
            {"display_name", id.display_name},  {"emails", emails},
            {"avatar_url", id.avatar_url}};
}

UpstreamIdentity from_json(const nlohmann::json& j) {
    UpstreamIdentity id;
    id.provider = j.value("provider", "");
    id.subject = j.value("subject", "");
    id.previous_subjects = j.value("previous", std::vector<std::string>{});
    id.username = j.value("username", "");
    id.display_name = j.value("display_name", "");
    for (const auto& e : j.value("emails", nlohmann::json::array())) {
        id.emails.push_back({e.value("address", ""), e.value("verified", false)});
    }
    id.avatar_url = j.value("avatar_url", "");
    return id;
}

}  // namespace

store::Result<std::string> PendingIdentityStore::put(const PendingIdentity& pending,
                                                     std::chrono::sys_seconds now) {
    const std::string token = random_token(random_);
    auto inserted = db_.execute(
        "INSERT INTO federation_pending (token_hash, identity, return_to, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {store::Blob{auth::sha256(token)}, to_json(pending.identity).dump(), pending.return_to,
         epoch(now), epoch(now + ttl_)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return token;
}

store::Result<PendingIdentity> PendingIdentityStore::find(std::string_view token,
                                                          std::chrono::sys_seconds now) {
    if (!is_token(token)) {
        return store::fail(store::Error::Kind::not_found, "not a pending token");
    }
    auto rows = db_.query(
        "SELECT identity, return_to FROM federation_pending WHERE token_hash = ? AND used_at IS "
        "NULL AND expires_at > ?",
        {store::Blob{auth::sha256(token)}, epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no pending identity");
    }
    auto parsed = nlohmann::json::parse(rows->front().text(0), nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return store::fail(store::Error::Kind::invalid, "pending identity is not JSON");
    }
    return PendingIdentity{from_json(parsed), rows->front().text(1)};
}

store::Result<void> PendingIdentityStore::consume(store::Database& db, std::string_view token,
                                                  std::chrono::sys_seconds now) {
    if (!is_token(token)) {
        return store::fail(store::Error::Kind::not_found, "not a pending token");
    }
    auto used = db.execute(
        "UPDATE federation_pending SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND "
        "expires_at > ?",
        {epoch(now), store::Blob{auth::sha256(token)}, epoch(now)});
    if (!used) {
        return std::unexpected(used.error());
    }
    if (used->affected_rows != 1) {
        return store::fail(store::Error::Kind::not_found, "pending identity already used");
    }
    return {};
}

store::Result<std::uint64_t> PendingIdentityStore::delete_expired(std::chrono::sys_seconds before) {
    auto deleted =
        db_.execute("DELETE FROM federation_pending WHERE expires_at < ?", {epoch(before)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::federation
