#include "oidc/standard_claims.h"

#include <algorithm>
#include <array>

namespace idpd::oidc {

bool is_requestable_claim(std::string_view name) {
    static constexpr std::array names{std::string_view("preferred_username"),
                                      std::string_view("name"),
                                      std::string_view("updated_at"),
                                      std::string_view("picture"),
                                      std::string_view("email"),
                                      std::string_view("email_verified"),
                                      std::string_view("phone_number"),
                                      std::string_view("phone_number_verified")};
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
        if (profile.picture) {
            claims["picture"] = *profile.picture;
        }
    }
    if (has("email") && profile.email) {
        claims["email"] = *profile.email;
        claims["email_verified"] = profile.email_verified;
    }
    if (has("phone") && profile.phone_number) {  // OIDC Core §5.4
        claims["phone_number"] = *profile.phone_number;
        claims["phone_number_verified"] = profile.phone_number_verified;
    }
    return claims;
}

}  // namespace idpd::oidc
