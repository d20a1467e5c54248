#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oidc/userinfo_endpoint.h"

namespace idpd::oidc {

// The OIDC Core §5.4 claims of `profile` that the granted `scopes` cover: profile →
// preferred_username, name, updated_at; email → email, email_verified. /userinfo answers them
// all; an ID token carries those the claims parameter asked for (§5.5).
nlohmann::json standard_claims(const UserProfile& profile, const std::vector<std::string>& scopes);

// Whether the claims parameter may ask for `name` in an ID token: a standard claim we hold.
// Others are ignored (§5.5: "claims that are not understood … MUST be ignored").
bool is_requestable_claim(std::string_view name);

}  // namespace idpd::oidc
