#include "web/topup_pages.h"

#include <spdlog/spdlog.h>

#include "auth/qr_svg.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "billing/order_store.h"
#include "web/billing_context.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t recent_orders = 10;
constexpr std::string_view topup_path = "/account/billing/topup";

// The catalog key (topup.error.<key>) for an amount billing::parse_yuan refused.
std::string amount_error(const billing::Error& e) {
    const auto& m = e.message;
    if (m.starts_with("enter")) {
        return "amount_missing";
    }
    if (m.find("too large") != std::string::npos) {
        return "amount_too_large";
    }
    if (m.find("positive") != std::string::npos) {
        return "amount_negative";
    }
    if (m.find("more than 0") != std::string::npos) {
        return "amount_zero";
    }
    if (m.find("0.01") != std::string::npos) {
        return "amount_fraction";
    }
    return "amount_format";
}

}  // namespace

void TopupPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (TopupPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, std::string(topup_path), bind(&TopupPages::get_topup));
    router.add(Method::post, std::string(topup_path), bind(&TopupPages::post_topup));
    router.add(Method::get, "/account/billing/orders/:order_no", bind(&TopupPages::get_order));
    router.add(Method::get, "/account/billing/orders/:order_no/qr.svg", bind(&TopupPages::get_qr));
}

HttpResponse TopupPages::get_topup(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling%2Ftopup");
    }
    if (auto gate = guard_.require(visit, std::string(topup_path))) {
        return std::move(*gate);
    }
    return form_page(visit, 200, "", "", "");
}

HttpResponse TopupPages::post_topup(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling%2Ftopup");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, std::string(topup_path))) {
        return std::move(*gate);
    }
    const std::string amount_text = submitted.get("amount");
    const std::string channel_text = submitted.get("channel");
    auto context = billing_context(kit_, visit);
    if (!context) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!context->can_manage) {
        return kit_.error_page(visit, 403, "error.forbidden", "topup.error.not_manager");
    }
    auto fen = billing::parse_yuan(amount_text);
    if (!fen) {
        return form_page(visit, 400, amount_text, channel_text, amount_error(fen.error()));
    }
    const auto channel = billing::parse_channel(channel_text);
    if (!channel || !settings_.channels.offers(*channel)) {
        return form_page(visit, 400, amount_text, channel_text, "channel");
    }
    auto account =
        billing::AccountStore(kit_.db()).open(context->owner, settings_.free_plan, kit_.now());
    if (!account) {
        return form_page(visit, 503, amount_text, channel_text, "unavailable");
    }
    auto order = billing::OrderStore(kit_.db()).create({account->id, *fen, *channel, ""},
                                                       kit_.now(), settings_.order_ttl);
    if (!order) {
        return form_page(visit, 503, amount_text, channel_text, "unavailable");
    }
    spdlog::info("user {} billing account {}: top-up order {} of {} via {}", visit.user->id,
                 account->id, order->order_no, billing::format_yuan(order->amount_fen),
                 billing::channel_name(order->channel));
    // Asked now, so the order page shows it at once.
    billing::payment_code(kit_.db(), settings_.channels, *order, kit_.now());
    return kit_.redirect(visit, "/account/billing/orders/" + order->order_no);
}

HttpResponse TopupPages::form_page(Visit& visit, int status, const std::string& amount,
                                   const std::string& channel, const std::string& error_key) {
    auto context = billing_context(kit_, visit);
    if (!context) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto account =
        billing::AccountStore(kit_.db()).open(context->owner, settings_.free_plan, kit_.now());
    if (!account) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto orders = billing::OrderStore(kit_.db()).list(account->id, recent_orders);
    if (!orders) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "topup.title"), false);
    data["csrf"] = kit_.csrf_for(visit);
    data["account_label"] = context->label;
    data["balance"] = billing::format_yuan(account->balance_fen);
    data["can_manage"] = context->can_manage;
    data["amount"] = amount;
    if (!error_key.empty()) {
        data["error"] = kit_.text(visit, "topup.error." + error_key);
    }
    mstch::array channels;
    const auto offered = settings_.channels.offered();
    for (auto c : offered) {
        const std::string name(billing::channel_name(c));
        channels.push_back(mstch::map{{"name", name},
                                      {"label", kit_.text(visit, "topup.channel." + name)},
                                      {"checked", name == channel || offered.size() == 1}});
    }
    data["channels"] = channels;
    data["has_channels"] = !offered.empty();
    mstch::array rows;
    for (const auto& o : *orders) {
        const std::string ch(billing::channel_name(o.channel));
        rows.push_back(mstch::map{{"order_no", o.order_no},
                                  {"amount", billing::format_yuan(o.amount_fen)},
                                  {"channel", kit_.text(visit, "topup.channel." + ch)},
                                  {"status", kit_.text(visit, "topup.status." + o.status)},
                                  {"pending", o.status == "pending"},
                                  {"time", format_time(o.created_at)},
                                  {"time_iso", iso_time(o.created_at)}});
    }
    data["orders"] = rows;
    data["has_orders"] = !rows.empty();
    return kit_.page(visit, "topup", status, std::move(data));
}

HttpResponse TopupPages::get_order(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const std::string order_no = req.path_param("order_no").value_or("");
    if (!visit.user) {
        return kit_.redirect(
            visit, "/signin?return_to=" + http::url_encode("/account/billing/orders/" + order_no));
    }
    auto order = own_order(visit, order_no);
    if (!order) {
        return std::move(order.error());
    }
    const std::string ch(billing::channel_name(order->channel));
    const bool pending = order->status == "pending";
    const std::string code =
        billing::payment_code(kit_.db(), settings_.channels, *order, kit_.now());
    auto data = kit_.base_data(visit, kit_.text(visit, "topup.order_title"), false);
    data["order"] = mstch::map{
        {"order_no", order->order_no},
        {"amount", billing::format_yuan(order->amount_fen)},
        {"channel", kit_.text(visit, "topup.channel." + ch)},
        {"status", kit_.text(visit, "topup.status." + order->status)},
        {"status_name", order->status},
        {"paid", order->status == "paid"},
        {"pending", pending},
        {"expires", format_time(order->expires_at)},
        {"expires_iso", iso_time(order->expires_at)},
        {"created", format_time(order->created_at)},
        {"created_iso", iso_time(order->created_at)},
        {"has_qr", !code.empty()},
        {"code", code},
        {"qr_url", "/account/billing/orders/" + order->order_no + "/qr.svg"},
        {"scan_hint", kit_.text(visit, "topup.scan." + ch)},
        {"qr_failed", pending && code.empty() && order->channel != billing::Channel::bank},
        {"bank", pending && order->channel == billing::Channel::bank},
    };
    if (settings_.channels.bank) {
        data["bank_details"] =
            mstch::map{{"bank_name", settings_.channels.bank->bank_name},
                       {"account_name", settings_.channels.bank->account_name},
                       {"account_number", settings_.channels.bank->account_number}};
    }
    return kit_.page(visit, "topup_order", 200, std::move(data));
}

HttpResponse TopupPages::get_qr(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.error_page(visit, 404, "error.title", "error.not_found");
    }
    auto order = own_order(visit, req.path_param("order_no").value_or(""));
    if (!order) {
        return std::move(order.error());
    }
    if (order->status != "pending" || !order->payment_code) {
        return kit_.error_page(visit, 404, "error.title", "error.not_found");
    }
    auto svg = auth::qr_svg(*order->payment_code);
    if (!svg) {
        spdlog::error("cannot draw the payment QR code: {}", svg.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    HttpResponse response = HttpResponse::text(200, std::move(*svg));
    response.headers.set("Content-Type", "image/svg+xml");
    response.headers.set("Cache-Control", "no-store");
    return kit_.finish(visit, std::move(response));
}

std::expected<billing::Order, HttpResponse> TopupPages::own_order(Visit& visit,
                                                                  const std::string& order_no) {
    auto context = billing_context(kit_, visit);
    if (!context) {
        return std::unexpected(kit_.error_page(visit, 503, "error.title", "error.unavailable"));
    }
    auto account =
        billing::AccountStore(kit_.db()).open(context->owner, settings_.free_plan, kit_.now());
    auto order = billing::OrderStore(kit_.db()).find(order_no);
    if (!account || (!order && order.error().kind != billing::Error::Kind::not_found)) {
        return std::unexpected(kit_.error_page(visit, 503, "error.title", "error.unavailable"));
    }
    // Another account's order is as absent as one that does not exist.
    if (!order || order->account_id != account->id) {
        return std::unexpected(kit_.error_page(visit, 404, "error.title", "error.not_found"));
    }
    return *order;
}

}  // namespace idpd::web
