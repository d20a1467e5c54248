#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "federation/connector.h"
#include "store/database.h"

namespace idpd::federation {

// An upstream identity that signed in but is bound to no account yet, waiting for the user to
// create an account or sign in to one and confirm the link.
struct PendingIdentity {
    UpstreamIdentity identity;
    std::string return_to;
};

// Table federation_pending (schema/*/0020_federation.sql): the identity as JSON under
// SHA-256(token); the token lives only in the browser's HttpOnly cookie. Used once (one
// UPDATE … WHERE used_at IS NULL decides) and expires after `ttl`. Errors are store::Error.
class PendingIdentityStore {
public:
    PendingIdentityStore(store::Database& db, auth::RandomSource& random, std::chrono::seconds ttl)
        : db_(db), random_(random), ttl_(ttl) {}

    // Keeps `pending`; returns the token for the browser's cookie.
    store::Result<std::string> put(const PendingIdentity& pending, std::chrono::sys_seconds now);

    // The identity waiting under `token`: not_found when unknown, used or expired.
    store::Result<PendingIdentity> find(std::string_view token, std::chrono::sys_seconds now);

    // Marks it used, inside the caller's transaction when `db` is one: not_found when another
    // request used it first.
    static store::Result<void> consume(store::Database& db, std::string_view token,
                                       std::chrono::sys_seconds now);

    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    auth::RandomSource& random_;
    std::chrono::seconds ttl_;
};

}  // namespace idpd::federation
