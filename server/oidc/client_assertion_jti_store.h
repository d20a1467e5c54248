#pragma once

#include <cstdint>
#include <string_view>

#include "store/database.h"

namespace idpd::oidc {

// The jti of every accepted client assertion (table `client_assertion_jtis`, schema 0015), so an
// assertion authenticates once across every process sharing the database (RFC 7523 §3 item 7,
// OIDC Core §9: "the jti ... MUST NOT be reused").
class ClientAssertionJtiStore {
public:
    explicit ClientAssertionJtiStore(store::Database& db) : db_(db) {}

    // Records `jti` of `client_id`, kept until `expires_at`. True when it was new; false when it
    // was seen before (a replay), decided by the PRIMARY KEY, so two processes racing with one
    // assertion cannot both succeed. Errors: the database's.
    store::Result<bool> use(std::string_view client_id, std::string_view jti,
                            std::int64_t expires_at);

    // Deletes rows whose assertion expired before `now` (they can no longer be replayed: the
    // assertion itself is refused). Returns how many.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

}  // namespace idpd::oidc
