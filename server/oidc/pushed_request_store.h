#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::oidc {

// A pushed authorization request (RFC 9126 §2): the /authorize parameters a client sent to /par.
struct PushedRequest {
    std::string client_id;
    std::map<std::string, std::string, std::less<>> params;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

// Table par_requests (schema 0013), keyed by the SHA-256 of the random part of the request_uri
// (`reference`), so a copy of the database cannot replay a request. Errors are store::Error:
// not_found, conflict, and the database's own.
class PushedRequestStore {
public:
    explicit PushedRequestStore(store::Database& db) : db_(db) {}

    // Stores `request` under SHA-256(`reference`). Errors: conflict (a repeated reference).
    store::Result<void> add(std::string_view reference, const PushedRequest& request);

    // The request stored under `reference`, expired or not. Errors: not_found (unknown or
    // already consumed).
    store::Result<PushedRequest> find(std::string_view reference);

    // Moves expires_at to `expires_at` if the request is still unexpired at `now`; false when it
    // is gone or expired.
    store::Result<bool> extend(std::string_view reference, std::int64_t now,
                               std::int64_t expires_at);

    // Removes the request in one DELETE: true for the one caller that did, false for every
    // other (consumed already, or a concurrent use won).
    store::Result<bool> consume(std::string_view reference);

    // Deletes requests that expired before `now`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

}  // namespace idpd::oidc
