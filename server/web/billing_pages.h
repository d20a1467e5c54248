#pragma once

#include "billing/plans.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The signed-in person's own billing account (the organization context comes with orgs):
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

    PageKit& kit_;
    billing::Catalog plans_;
    StepUpGuard& guard_;  // a plan change spends the balance: a sensitive operation
};

}  // namespace idpd::web
