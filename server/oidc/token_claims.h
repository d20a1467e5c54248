#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oidc/claim_source.h"
#include "oidc/errors.h"
#include "oidc/userinfo_endpoint.h"

namespace idpd::oidc {

// The claims beyond OIDC's own that tokens and answers carry: org_id and org_role for an
// organization-scoped token, and what each granted extra scope's ClaimSource adds. One place
// for every target, so an ID token, a JWT access token, /userinfo and /introspect agree.
class TokenClaims {
public:
    TokenClaims(ClaimSources sources, UserProfileLookup users)
        : sources_(std::move(sources)), users_(std::move(users)) {}

    // What to do when the token names an organization the user no longer belongs to.
    enum class OrgGone {
        refuse,  // issuing a token: invalid_grant
        omit,    // answering for a token already issued: no extra claims at all
    };

    // The extra claims for `user_id` with the granted `scopes`, as an object (empty when no
    // extra scope was granted). Errors: invalid_grant (OrgGone::refuse), those of the sources.
    Result<nlohmann::json> extra(std::int64_t user_id, const std::vector<std::string>& scopes,
                                 ClaimTarget target, OrgGone gone) const;

    // An ID token's: extra(id_token, refuse) and the standard claims the claims parameter
    // asked for (`requested`, space-separated) when their scope was granted (OIDC Core §5.5).
    Result<nlohmann::json> for_id_token(std::int64_t user_id,
                                        const std::vector<std::string>& scopes,
                                        const std::string& requested) const;

    // The user's role in `org_id`, nullopt when not a member, or when organizations are not
    // wired (no org-scoped token can be had then).
    Result<std::optional<std::string>> role_in(std::int64_t user_id, std::int64_t org_id) const;

    // invalid_grant when `scopes` name an organization the user does not belong to (now).
    Result<void> check_member(std::int64_t user_id, const std::vector<std::string>& scopes) const;

    // For discovery: the extra scopes (claim scopes and API scopes) and the claims they add.
    std::vector<std::string> scopes() const;
    std::vector<std::string> claim_names() const;

private:
    ClaimSources sources_;
    UserProfileLookup users_;
};

// Adds each member of `extra` that `claims` does not hold yet: a source cannot replace a
// protocol claim (sub, iss, aud, scope…).
void merge_claims(nlohmann::json& claims, const nlohmann::json& extra);

}  // namespace idpd::oidc
