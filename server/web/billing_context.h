#pragma once

#include <string>

#include "billing/account_store.h"
#include "store/error.h"
#include "web/page_kit.h"

namespace idpd::web {

// Whose billing account the billing pages (plan, top-up, coupons, records) show and act on: the
// signed-in person's own, or an organization they chose with the context switch. Every billing
// page asks this instead of assuming the personal account, so nothing moves between accounts.
struct BillingContext {
    billing::Owner owner;  // {user, id} or {org, id}
    std::string label;     // what the switch shows: the person's username or the org's name
    // Whether the viewer may pay, top up, change the plan or redeem coupons for it (always for
    // the personal account; the owner or an admin of an organization).
    bool can_manage = true;
};

// The context of a signed-in visit (`visit.user` is set). Until organizations are chosen this
// is the personal account. Errors: database failures only.
store::Result<BillingContext> billing_context(PageKit& kit, const Visit& visit);

}  // namespace idpd::web
