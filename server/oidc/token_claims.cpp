#include "oidc/token_claims.h"

#include <algorithm>

#include "oidc/scope.h"
#include "oidc/standard_claims.h"

namespace idpd::oidc {

std::string_view claim_target_name(ClaimTarget target) {
    switch (target) {
        case ClaimTarget::id_token:
            return "id_token";
        case ClaimTarget::userinfo:
            return "userinfo";
        case ClaimTarget::access_token:
            return "access_token";
        case ClaimTarget::introspection:
            return "introspection";
    }
    return "userinfo";
}

void merge_claims(nlohmann::json& claims, const nlohmann::json& extra) {
    if (!extra.is_object()) {
        return;
    }
    for (const auto& [name, value] : extra.items()) {
        if (!claims.contains(name)) {
            claims[name] = value;
        }
    }
}

Result<std::optional<std::string>> TokenClaims::role_in(std::int64_t user_id,
                                                        std::int64_t org_id) const {
    if (!sources_.org_roles) {
        return std::optional<std::string>();
    }
    return sources_.org_roles(user_id, org_id);
}

Result<void> TokenClaims::check_member(std::int64_t user_id,
                                       const std::vector<std::string>& scopes) const {
    for (std::int64_t org : org_scope_ids(scopes)) {
        auto role = role_in(user_id, org);
        if (!role) {
            return std::unexpected(role.error());
        }
        if (!*role) {
            return fail(ErrorCode::invalid_grant,
                        "the user is no longer a member of organization " + std::to_string(org));
        }
    }
    return {};
}

Result<nlohmann::json> TokenClaims::extra(std::int64_t user_id,
                                          const std::vector<std::string>& scopes,
                                          ClaimTarget target, OrgGone gone) const {
    nlohmann::json out = nlohmann::json::object();
    const auto orgs = org_scope_ids(scopes);
    std::optional<std::int64_t> org;
    if (!orgs.empty()) {
        org = orgs.front();
        auto role = role_in(user_id, *org);
        if (!role) {
            return std::unexpected(role.error());
        }
        if (!*role) {
            if (gone == OrgGone::refuse) {
                return fail(
                    ErrorCode::invalid_grant,
                    "the user is no longer a member of organization " + std::to_string(*org));
            }
            return out;
        }
        out["org_id"] = *org;
        out["org_role"] = **role;
    }
    for (const auto& entry : sources_.scopes) {
        if (!entry.source || std::ranges::find(scopes, entry.scope) == scopes.end()) {
            continue;
        }
        auto claims = entry.source(ClaimRequest{user_id, scopes, org, target});
        if (!claims) {
            return std::unexpected(claims.error());
        }
        merge_claims(out, *claims);
    }
    return out;
}

Result<nlohmann::json> TokenClaims::for_id_token(std::int64_t user_id,
                                                 const std::vector<std::string>& scopes,
                                                 const std::string& requested) const {
    auto out = extra(user_id, scopes, ClaimTarget::id_token, OrgGone::refuse);
    if (!out) {
        return out;
    }
    const auto names = split_scope(requested);
    if (names.empty() || !users_) {
        return out;
    }
    auto profile = users_(user_id);
    if (!profile) {
        return std::unexpected(profile.error());
    }
    if (!*profile) {
        return fail(ErrorCode::invalid_grant, "the user is gone or disabled");
    }
    const nlohmann::json standard = standard_claims(**profile, scopes);
    for (const auto& name : names) {
        if (is_requestable_claim(name) && standard.contains(name)) {
            (*out)[name] = standard[name];
        }
    }
    return out;
}

std::vector<std::string> TokenClaims::scopes() const {
    std::vector<std::string> out;
    for (const auto& entry : sources_.scopes) {
        out.push_back(entry.scope);
    }
    for (const auto& scope : sources_.api_scopes) {
        if (std::ranges::find(out, scope) == out.end()) {
            out.push_back(scope);
        }
    }
    return out;
}

std::vector<std::string> TokenClaims::claim_names() const {
    std::vector<std::string> out;
    if (sources_.org_roles) {
        out = {"org_id", "org_role"};
    }
    for (const auto& entry : sources_.scopes) {
        for (const auto& name : entry.claims) {
            if (std::ranges::find(out, name) == out.end()) {
                out.push_back(name);
            }
        }
    }
    return out;
}

}  // namespace idpd::oidc
