#include "app/claim_sources.h"

#include <chrono>

#include "api/caller.h"
#include "billing/account_store.h"
#include "billing/plan_name.h"

namespace idpd::app {
namespace {

std::unexpected<oidc::Error> unavailable(const std::string& detail) {
    return oidc::fail(oidc::ErrorCode::temporarily_unavailable,
                      "the account service is unavailable", detail);
}

// The billing account the claims describe: the organization's for an org-scoped token.
oidc::Result<billing::Account> account_of(store::Database& db, const billing::Catalog& catalog,
                                          const oidc::ClaimRequest& request) {
    const billing::Owner owner = request.org_id
                                     ? billing::Owner{billing::OwnerKind::org, *request.org_id}
                                     : billing::Owner{billing::OwnerKind::user, request.user_id};
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto account = billing::AccountStore(db).open(owner, catalog.free_plan().id, now);
    if (!account) {
        return unavailable(account.error().message);
    }
    return std::move(*account);
}

}  // namespace

oidc::ClaimSources claim_sources(store::Database& db, billing::Catalog catalog,
                                 org::MembershipLookup memberships) {
    oidc::ClaimSources sources;
    sources.scopes.push_back(
        {"plan",
         {"plan", "plan_name", "quota", "quota_used", "bonus_quota"},
         [&db, catalog](const oidc::ClaimRequest& request) -> oidc::Result<nlohmann::json> {
             auto account = account_of(db, catalog, request);
             if (!account) {
                 return std::unexpected(account.error());
             }
             const billing::Plan* plan = catalog.find(account->plan);
             return nlohmann::json{{"plan", account->plan},
                                   {"plan_name", billing::plan_display_name(account->plan)},
                                   {"quota", plan != nullptr ? plan->quota : 0},
                                   {"quota_used", account->quota_used},
                                   {"bonus_quota", account->bonus_quota}};
         }});
    sources.scopes.push_back(
        {"billing",
         {"balance", "currency"},
         [&db, catalog](const oidc::ClaimRequest& request) -> oidc::Result<nlohmann::json> {
             auto account = account_of(db, catalog, request);
             if (!account) {
                 return std::unexpected(account.error());
             }
             return nlohmann::json{{"balance", account->balance_fen}, {"currency", "CNY"}};
         }});
    sources.scopes.push_back(
        {"orgs",
         {"orgs"},
         [memberships](const oidc::ClaimRequest& request) -> oidc::Result<nlohmann::json> {
             nlohmann::json list = nlohmann::json::array();
             auto found = memberships ? memberships(request.user_id)
                                      : store::Result<std::vector<org::Membership>>();
             if (!found) {
                 return unavailable(found.error().message);
             }
             for (const auto& membership : *found) {
                 list.push_back({{"id", membership.org_id},
                                 {"name", membership.name},
                                 {"role", org::role_name(membership.role)}});
             }
             return nlohmann::json{{"orgs", std::move(list)}};
         }});
    sources.api_scopes = {std::string(api::scope_account), std::string(api::scope_billing_pay),
                          std::string(api::scope_orgs_manage),
                          std::string(api::scope_quota_report)};
    sources.org_roles = [memberships](
                            std::int64_t user_id,
                            std::int64_t org_id) -> oidc::Result<std::optional<std::string>> {
        auto found =
            memberships ? memberships(user_id) : store::Result<std::vector<org::Membership>>();
        if (!found) {
            return unavailable(found.error().message);
        }
        for (const auto& membership : *found) {
            if (membership.org_id == org_id) {
                return std::optional<std::string>(org::role_name(membership.role));
            }
        }
        return std::optional<std::string>();
    };
    return sources;
}

}  // namespace idpd::app
