#pragma once

#include <optional>

#include "billing/account_store.h"
#include "billing/plans.h"
#include "http/router.h"
#include "web/billing_context.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The billing account of the visit's context (web/billing_context.h): the person's own, or an
// organization chosen with the switch (POST /account/billing/context, web/org_pages.h). Members
// of an organization see its pages; only its owner and admins change the plan or redeem.
//   GET  /account/billing            plan, quota beside its usage, balance, the plans to move
//                                    to, coupon redemption
//   POST /account/billing/plan       plan=<id>: upgrade (charged now) or downgrade (at the
//                                    period's end), or cancel a waiting downgrade; behind the
//                                    step-up guard
//   POST /account/billing/coupon     code=<code>: credit a coupon's amount once
//   GET  /account/billing/records    the ledger, newest first, 20 a page (?page=N), filtered by
//                                    ?type=, or all of it as CSV with ?format=csv
// Outcomes come back as ?done=… or ?error=… on /account/billing, shown in the page's language.
class BillingPages {
public:
    BillingPages(PageKit& kit, billing::Catalog plans, StepUpGuard& guard)
        : kit_(kit), plans_(std::move(plans)), guard_(guard) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_billing(const http::HttpRequest& req);
    http::HttpResponse post_plan(const http::HttpRequest& req);
    http::HttpResponse post_coupon(const http::HttpRequest& req);
    http::HttpResponse get_records(const http::HttpRequest& req);

    struct Current {
        BillingContext context;
        billing::Account account;
    };

    // The context's account, opened on the free plan if new; nullopt when the database failed.
    std::optional<Current> current_account(const Visit& visit);

    PageKit& kit_;
    billing::Catalog plans_;
    StepUpGuard& guard_;  // a plan change spends the balance: a sensitive operation
};

}  // namespace idpd::web
