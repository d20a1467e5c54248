#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "api/authenticator.h"
#include "billing/channels/channel.h"
#include "http/router.h"
#include "org/membership.h"
#include "store/database.h"

namespace idpd::api {

// Top-up orders through the account API (scope billing:pay):
//   POST /api/v1/orders  {"amount": "12.34", "channel": "alipay"|"wechatpay"|"bank"}
// creates a pending order for the caller's personal billing account, or for the organization of
// an org-scoped caller who is its owner or an admin (org::MembershipLookup), and answers 201
// with the order and how to pay it (payment_code: the QR code text; bank: where to transfer).
// An `Idempotency-Key` header (printable ASCII, at most 128) makes a retry safe: the same key
// with the same amount and channel answers 200 with the first order; the same key with another
// amount or channel is 422 idempotency_key_reused. Keys are kept per billing account.
struct OrdersApiSettings {
    std::chrono::seconds order_ttl{std::chrono::hours(24)};
    std::string free_plan;  // the plan a billing account opens on
};

class OrdersApi {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    OrdersApi(const Authenticator& auth, store::Database& db, billing::Channels channels,
              org::MembershipLookup memberships, OrdersApiSettings settings, Clock clock)
        : auth_(auth),
          db_(db),
          channels_(std::move(channels)),
          memberships_(std::move(memberships)),
          settings_(std::move(settings)),
          clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse create(const http::HttpRequest& req);
    // The billing account the caller acts for, or the refusal to answer.
    std::expected<std::int64_t, http::HttpResponse> account_of(const Caller& caller,
                                                               std::chrono::sys_seconds now);

    const Authenticator& auth_;
    store::Database& db_;
    billing::Channels channels_;
    org::MembershipLookup memberships_;
    OrdersApiSettings settings_;
    Clock clock_;
};

}  // namespace idpd::api
