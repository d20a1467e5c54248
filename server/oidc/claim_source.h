#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oidc/errors.h"

namespace idpd::oidc {

// Where a set of claims is going.
enum class ClaimTarget { id_token, userinfo, access_token, introspection };

std::string_view claim_target_name(ClaimTarget target);

// What a claim source is asked: the claims of `user_id` for a token or answer with `scopes`
// (granted: requested and consented), limited to organization `org_id` when the token is
// organization-scoped (scope org:<id>, membership checked before the source is called).
struct ClaimRequest {
    std::int64_t user_id = 0;
    const std::vector<std::string>& scopes;
    std::optional<std::int64_t> org_id;
    ClaimTarget target = ClaimTarget::userinfo;
};

// The claims one extra scope adds, as a JSON object. Errors: temporarily_unavailable /
// server_error (the answer is refused rather than sent without them).
using ClaimSource = std::function<Result<nlohmann::json>(const ClaimRequest& request)>;

// One extra scope and what it adds: app/ registers these (e.g. plan, billing, orgs), the
// Provider calls `source` wherever tokens and answers are built, only when `scope` was granted.
struct ScopeClaims {
    std::string scope;
    std::vector<std::string> claims;  // the names it may add, for claims_supported
    ClaimSource source;
};

// The user's role ("owner", "admin", "member") in organization `org_id`, or nullopt when they
// are not a member. Errors: temporarily_unavailable / server_error.
using OrgRoleLookup =
    std::function<Result<std::optional<std::string>>(std::int64_t user_id, std::int64_t org_id)>;

// What app/ adds to the OP beyond OIDC's own scopes: the claim sources, scopes that carry no
// claims but are advertised (the account API's), and the organization look-up behind
// organization-scoped tokens (scope org:<id>; without it no such token is issued).
struct ClaimSources {
    std::vector<ScopeClaims> scopes;
    std::vector<std::string> api_scopes;
    OrgRoleLookup org_roles;
};

}  // namespace idpd::oidc
