#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/authenticator.h"
#include "billing/account_store.h"
#include "billing/plans.h"
#include "http/router.h"
#include "org/membership.h"
#include "store/database.h"

namespace idpd::api {

// The billing part of the account API (/api/v1), money always in integer fen:
//   GET  /api/v1/accounts               billing      the personal account and each organization's
//   GET  /api/v1/balance                billing      the current account's balance
//   GET  /api/v1/transactions           billing      its ledger, ?type= ?page= ?per_page=
//   GET  /api/v1/orders                 billing      its top-up orders
//   GET  /api/v1/orders/:order_no       billing      one order of an account the caller may see
//   GET  /api/v1/coupons                billing      its coupon redemptions
//   POST /api/v1/coupons/redeem         billing:pay  {"code"}: once per account
//   POST /api/v1/quota/usage            quota:report {"account": {"user": id} | {"org": id},
//                                                     "units", "idempotency_key"}: exactly once
// The current account is the organization of an organization-scoped caller, else the one
// ?org=<id> names (the caller must be a member), else the caller's own. Anything belonging to
// someone else is 404, as if it did not exist. POST /api/v1/orders (creating top-ups) lives with
// the payment code.
class BillingApi {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    BillingApi(Authenticator& auth, store::Database& db, billing::Catalog catalog,
               org::MembershipLookup memberships, Clock clock)
        : auth_(auth),
          db_(db),
          catalog_(std::move(catalog)),
          memberships_(std::move(memberships)),
          clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

private:
    // The account a call acts on, with what the caller may do there.
    struct Current {
        billing::Account account;
        std::string label;              // "personal" or the organization's name
        std::optional<org::Role> role;  // organizations only
    };

    std::expected<Current, http::HttpResponse> current(const http::HttpRequest& req,
                                                       const Caller& caller) const;
    // The organizations the caller belongs to (an organization-scoped caller: only that one).
    std::expected<std::vector<org::Membership>, http::HttpResponse> orgs_of(
        const Caller& caller) const;
    std::expected<billing::Account, http::HttpResponse> open(const billing::Owner& owner) const;
    nlohmann::json describe(const billing::Account& account) const;
    std::chrono::sys_seconds now() const;

    http::HttpResponse accounts(const http::HttpRequest& req) const;
    http::HttpResponse balance(const http::HttpRequest& req) const;
    http::HttpResponse transactions(const http::HttpRequest& req) const;
    http::HttpResponse orders(const http::HttpRequest& req) const;
    http::HttpResponse order(const http::HttpRequest& req) const;
    http::HttpResponse coupons(const http::HttpRequest& req) const;
    http::HttpResponse redeem(const http::HttpRequest& req) const;
    http::HttpResponse quota_usage(const http::HttpRequest& req) const;
    // The account a quota report names, if the caller may report for it.
    std::expected<billing::Account, http::HttpResponse> reported_account(
        const Caller& caller, const nlohmann::json& account) const;

    Authenticator& auth_;
    store::Database& db_;
    billing::Catalog catalog_;
    org::MembershipLookup memberships_;
    Clock clock_;
};

// Answers a billing refusal: invalid 400, not_found 404, conflict 409, insufficient_balance
// 402, unavailable 503.
http::HttpResponse billing_error(const billing::Error& error);

}  // namespace idpd::api
