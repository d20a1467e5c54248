#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/error.h"

namespace idpd::api {

// The scopes that open the account API (/api/v1). An access token carries them when its client
// asked for them and the user consented; an API key carries the ones chosen at its creation.
//   account       /api/v1/me and everything under it (profile, emails, phones, keys…)
//   billing       read the current account's plan, quota, balance, records, orders, coupons
//   billing:pay   create top-up orders, redeem coupons, change the plan
//   orgs          read the caller's organizations and their members
//   orgs:manage   create organizations, invite, remove, change roles (the role still decides)
//   quota:report  report quota usage (for relying services, usually client credentials)
inline constexpr std::string_view scope_account = "account";
inline constexpr std::string_view scope_billing = "billing";
inline constexpr std::string_view scope_billing_pay = "billing:pay";
inline constexpr std::string_view scope_orgs = "orgs";
inline constexpr std::string_view scope_orgs_manage = "orgs:manage";
inline constexpr std::string_view scope_quota_report = "quota:report";

// Who is calling the account API, as api::Authenticator found out.
struct Caller {
    enum class Kind { access_token, api_key };
    Kind kind = Kind::access_token;
    // The local user the token or key speaks for; nullopt for a client-credentials token
    // (a relying service acting for itself, e.g. to report quota usage).
    std::optional<std::int64_t> user_id;
    std::vector<std::string> scopes;
    // The organization the token or key is limited to (an org-scoped token, or an API key
    // created for an organization); nullopt: the caller's personal context.
    std::optional<std::int64_t> org_id;
    std::string client_id;    // access tokens: the client it was issued to
    std::int64_t key_id = 0;  // API keys: the key's id

    bool has_scope(std::string_view scope) const {
        return std::ranges::find(scopes, scope) != scopes.end();
    }
};

// An API key as the key store resolves it: the caller it stands for if `presented` is an API
// key we issued that is active now (not revoked, not expired), after recording its use (time,
// `ip`); nullopt for anything else. API keys are recognised by their prefix (api_key_prefix),
// so an access token is never looked up here. Errors: database failures only.
inline constexpr std::string_view api_key_prefix = "idk_";
using ApiKeyLookup = std::function<store::Result<std::optional<Caller>>(std::string_view presented,
                                                                        std::string_view ip)>;

}  // namespace idpd::api
