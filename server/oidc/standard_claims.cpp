#include "oidc/standard_claims.h"

#include <algorithm>
#include <array>

namespace idpd::oidc {

bool is_requestable_claim(std::string_view name) {
    static constexpr std::array<std::string_view, 5> names{"preferred_username", "name",
                                                           "updated_at", "email", "email_verified"};
    return std::ranges::find(names, name) != names.end();
}

nlohmann::json standard_claims(const UserProfile& profile, const std::vector<std::string>& scopes) {
    auto has = [&scopes](std::string_view scope) {
        return std::ranges::find(scopes, scope) != scopes.end();
    };
    nlohmann::json claims = nlohmann::json::object();
    if (has("profile")) {
        claims["preferred_username"] = profile.preferred_username;
        claims["name"] = profile.name;
        claims["updated_at"] = profile.updated_at;
    }
    if (has("email") && profile.email) {
        claims["email"] = *profile.email;
        claims["email_verified"] = profile.email_verified;
    }
    return claims;
}

}  // namespace idpd::oidc
