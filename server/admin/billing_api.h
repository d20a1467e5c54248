#pragma once

#include <string>

#include "http/router.h"
#include "oidc/random.h"
#include "store/database.h"

namespace idpd::admin {

// /admin/api/v1/billing: what operators do to top-up orders, behind the same bearer token as
// the clients API (a no-op while it is empty):
//   GET  /admin/api/v1/billing/orders/:order_no                   the order
//   POST /admin/api/v1/billing/orders/:order_no/confirm-transfer  {"amount": "12.34",
//        "reference": "<bank reference>"} → 200 the paid order + "balance_after"
//        ("replayed": true when it was already paid: nothing credited again)
// Errors are JSON {"error", "error_description"}: 400 invalid_request (an amount that differs
// from the order's, not a bank order, a bad amount or reference), 401, 404 not_found, 503.
class BillingApi {
public:
    BillingApi(std::string api_token, store::Database& db, oidc::Clock clock)
        : api_token_(std::move(api_token)), db_(db), clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse show(const http::HttpRequest& req);
    http::HttpResponse confirm_transfer(const http::HttpRequest& req);

    std::string api_token_;
    store::Database& db_;
    oidc::Clock clock_;
};

}  // namespace idpd::admin
