#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

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

// The context of a signed-in visit (`visit.user` is set): the organization this browser
// session chose with the switch while the user is still a member of it, else the personal
// account. A removed member silently falls back to personal. Errors: database failures only.
store::Result<BillingContext> billing_context(PageKit& kit, const Visit& visit);

// One entry of the context switch: the personal account (org_id 0) or an organization.
struct ContextChoice {
    std::int64_t org_id = 0;
    std::string label;
    bool selected = false;
};

// Every context the visit's user may choose, personal first, `current` selected.
store::Result<std::vector<ContextChoice>> billing_contexts(PageKit& kit, const Visit& visit,
                                                           const BillingContext& current);

// Remembers the choice for this browser session (0: personal). False when `org_id` is not an
// organization the user belongs to (nothing changes then). Errors: database failures only.
store::Result<bool> choose_billing_context(PageKit& kit, const Visit& visit, std::int64_t org_id);

// The switch as the billing templates' partial (partials/billing_context.mustache) reads it:
// {"contexts": [{"value", "label", "selected"}…], "context_label", "context_readonly"}.
store::Result<void> add_context_switch(PageKit& kit, const Visit& visit,
                                       const BillingContext& current, mstch::map& data);

}  // namespace idpd::web
