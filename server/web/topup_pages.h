#pragma once

#include <chrono>
#include <expected>
#include <string>

#include "billing/channels/channel.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// Top-up of the current billing account (web/billing_context.h), behind the step-up guard:
//   GET  /account/billing/topup                     the form (amount in yuan, one of the
//                                                   configured channels) and the recent orders,
//                                                   a pending one with a link to pay it
//   POST /account/billing/topup                     a pending order → 303 to its page
//   GET  /account/billing/orders/:order_no          amount, channel, status, expiry and how to
//                                                   pay: the channel's QR code, or our bank
//                                                   details with the order number as reference
//   GET  /account/billing/orders/:order_no/qr.svg   that QR code
// An order of another account is 404. A viewer who may not manage the account (an org member)
// sees no form and cannot create orders.
struct TopupSettings {
    billing::Channels channels;
    std::chrono::seconds order_ttl{std::chrono::hours(24)};
    std::string free_plan;  // the plan a billing account opens on
};

class TopupPages {
public:
    TopupPages(PageKit& kit, StepUpGuard& guard, TopupSettings settings)
        : kit_(kit), guard_(guard), settings_(std::move(settings)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_topup(const http::HttpRequest& req);
    http::HttpResponse post_topup(const http::HttpRequest& req);
    http::HttpResponse get_order(const http::HttpRequest& req);
    http::HttpResponse get_qr(const http::HttpRequest& req);

    // The form with the recent orders; `error_key` names a topup.error.* text, or is empty.
    http::HttpResponse form_page(Visit& visit, int status, const std::string& amount,
                                 const std::string& channel, const std::string& error_key);
    // The order `order_no` of the current billing account, or the page to answer instead
    // (404 for another account's order or none, 503).
    std::expected<billing::Order, http::HttpResponse> own_order(Visit& visit,
                                                                const std::string& order_no);
    PageKit& kit_;
    StepUpGuard& guard_;
    TopupSettings settings_;
};

}  // namespace idpd::web
