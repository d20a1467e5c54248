#include "admin/billing_api.h"

#include <nlohmann/json.hpp>

#include "billing/amount.h"
#include "billing/payments.h"
#include "oidc/bearer.h"

namespace idpd::admin {
namespace {

constexpr std::string_view orders = "/admin/api/v1/billing/orders/:order_no";

http::HttpResponse reply(int status, const nlohmann::json& body) {
    auto response = http::HttpResponse::json(status, body.dump());
    response.headers.set("Cache-Control", "no-store");
    return response;
}

http::HttpResponse api_error(int status, std::string_view error, std::string_view description) {
    auto response = reply(status, {{"error", error}, {"error_description", description}});
    if (status == 401) {
        response.headers.set("WWW-Authenticate", "Bearer realm=\"idpd-admin\"");
    }
    return response;
}

http::HttpResponse from_billing(const billing::Error& error) {
    switch (error.kind) {
        case billing::Error::Kind::not_found:
            return api_error(404, "not_found", error.message);
        case billing::Error::Kind::unavailable:
            return api_error(503, "temporarily_unavailable", error.message);
        default:
            return api_error(400, "invalid_request", error.message);
    }
}

nlohmann::json order_json(const billing::Order& o) {
    nlohmann::json out{{"order_no", o.order_no},
                       {"account_id", o.account_id},
                       {"amount", billing::format_yuan(o.amount_fen)},
                       {"amount_fen", o.amount_fen},
                       {"channel", billing::channel_name(o.channel)},
                       {"status", o.status},
                       {"created_at", o.created_at.time_since_epoch().count()},
                       {"expires_at", o.expires_at.time_since_epoch().count()},
                       {"paid_at", nullptr},
                       {"channel_txn", nullptr}};
    if (o.paid_at) {
        out["paid_at"] = o.paid_at->time_since_epoch().count();
    }
    if (o.channel_txn) {
        out["channel_txn"] = *o.channel_txn;
    }
    return out;
}

std::string order_no_of(const http::HttpRequest& req) {
    auto it = req.path_params.find("order_no");
    return it == req.path_params.end() ? std::string() : it->second;
}

}  // namespace

void BillingApi::add_routes(http::Router& router) {
    if (api_token_.empty()) {
        return;
    }
    auto guarded = [this](http::HttpResponse (BillingApi::*handler)(const http::HttpRequest&)) {
        return [this, handler](const http::HttpRequest& req) {
            auto presented = oidc::bearer_token(req);
            if (!presented || !oidc::secrets_equal(*presented, api_token_)) {
                return api_error(401, "invalid_token",
                                 "send Authorization: Bearer <admin.api_token>");
            }
            return (this->*handler)(req);
        };
    };
    router.add(http::Method::get, std::string(orders), guarded(&BillingApi::show));
    router.add(http::Method::post, std::string(orders) + "/confirm-transfer",
               guarded(&BillingApi::confirm_transfer));
}

http::HttpResponse BillingApi::show(const http::HttpRequest& req) {
    auto order = billing::OrderStore(db_).find(order_no_of(req));
    if (!order) {
        return from_billing(order.error());
    }
    return reply(200, order_json(*order));
}

http::HttpResponse BillingApi::confirm_transfer(const http::HttpRequest& req) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("amount") || !body["amount"].is_string() ||
        !body.contains("reference") || !body["reference"].is_string()) {
        return api_error(400, "invalid_request",
                         "send {\"amount\": \"12.34\", \"reference\": \"<bank reference>\"}");
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    auto settled =
        billing::confirm_transfer(db_, order_no_of(req), body["amount"].get<std::string>(),
                                  body["reference"].get<std::string>(),
                                  billing::PaymentSource{"admin api", req.peer_ip}, now);
    if (!settled) {
        return from_billing(settled.error());
    }
    auto out = order_json(settled->order);
    out["balance_after"] = billing::format_yuan(settled->entry.balance_after_fen);
    out["replayed"] = settled->replayed;
    return reply(200, out);
}

}  // namespace idpd::admin
