#include "oidc/pushed_request_store.h"

#include <nlohmann/json.hpp>

#include "oidc/access_token_store.h"

namespace idpd::oidc {

store::Result<void> PushedRequestStore::add(std::string_view reference,
                                            const PushedRequest& request) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [name, value] : request.params) {
        params[name] = value;
    }
    auto inserted = db_.execute(
        "INSERT INTO par_requests (request_hash, client_id, params, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {store::Blob{sha256(reference)}, request.client_id, params.dump(), request.created_at,
         request.expires_at});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<PushedRequest> PushedRequestStore::find(std::string_view reference) {
    auto rows = db_.query(
        "SELECT client_id, params, created_at, expires_at FROM par_requests WHERE "
        "request_hash = ?",
        {store::Blob{sha256(reference)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such pushed request");
    }
    const auto& row = rows->front();
    PushedRequest request;
    request.client_id = row.text(0);
    // Written by add() from strings only; anything else means the row was tampered with.
    const auto params = nlohmann::json::parse(row.text(1), nullptr, false);
    if (!params.is_object()) {
        return store::fail(store::Error::Kind::invalid, "pushed request parameters unreadable");
    }
    for (const auto& [name, value] : params.items()) {
        if (value.is_string()) {
            request.params.emplace(name, value.get<std::string>());
        }
    }
    request.created_at = row.integer(2);
    request.expires_at = row.integer(3);
    return request;
}

store::Result<bool> PushedRequestStore::extend(std::string_view reference, std::int64_t now,
                                               std::int64_t expires_at) {
    auto updated = db_.execute(
        "UPDATE par_requests SET expires_at = ? WHERE request_hash = ? AND expires_at > ?",
        {expires_at, store::Blob{sha256(reference)}, now});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return updated->affected_rows == 1;
}

store::Result<bool> PushedRequestStore::consume(std::string_view reference) {
    auto deleted = db_.execute("DELETE FROM par_requests WHERE request_hash = ?",
                               {store::Blob{sha256(reference)}});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows == 1;
}

store::Result<std::uint64_t> PushedRequestStore::delete_expired(std::int64_t now) {
    auto deleted = db_.execute("DELETE FROM par_requests WHERE expires_at <= ?", {now});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::oidc
