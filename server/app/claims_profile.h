#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "oidc/client_auth.h"
#include "oidc/userinfo_endpoint.h"
#include "store/database.h"

namespace idpd::app {

// The profile OIDC claims are made of (/userinfo, ID tokens, introspection): the users row, the
// primary email, the bound phone and the avatar, read in ONE statement. It reads the tables of
// three capabilities (account, phone) at once because /userinfo is the hottest account read:
// on MariaDB every statement is a round trip to the server, and four of them cost 4 × the
// database's share of a request (docs/performance.md). `issuer` makes an uploaded avatar's
// location absolute. nullopt: no such user, or not active.
oidc::Result<std::optional<oidc::UserProfile>> read_claims_profile(store::Database& db,
                                                                   std::int64_t user_id,
                                                                   std::string_view issuer);

}  // namespace idpd::app
