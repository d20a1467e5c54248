#pragma once

#include "billing/plans.h"
#include "oidc/claim_source.h"
#include "org/membership.h"
#include "store/database.h"

namespace idpd::app {

// The extra scopes of our tokens (issue 7): `plan` (plan, plan_name, quota, quota_used,
// bonus_quota), `billing` (balance in fen, currency CNY) and `orgs` (orgs: [{id, name, role}]),
// each describing the user's personal billing account, or for an organization-scoped token
// (org:<id>) the organization's; the account API's scopes (advertised, no claims); and the
// organization look-up that makes org:<id> tokens possible. `db` must outlive the result.
oidc::ClaimSources claim_sources(store::Database& db, billing::Catalog catalog,
                                 org::MembershipLookup memberships);

}  // namespace idpd::app
