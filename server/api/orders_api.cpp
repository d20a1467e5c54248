#include "api/orders_api.h"

#include <spdlog/spdlog.h>

#include "api/reply.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "billing/order_store.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;

std::int64_t unix_time(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

nlohmann::json order_json(const billing::Order& order, const std::string& code,
                          const billing::Channels& channels) {
    nlohmann::json out{{"order_no", order.order_no},
                       {"amount", billing::format_yuan(order.amount_fen)},
                       {"amount_fen", order.amount_fen},
                       {"currency", "CNY"},
                       {"channel", billing::channel_name(order.channel)},
                       {"status", order.status},
                       {"created_at", unix_time(order.created_at)},
                       {"expires_at", unix_time(order.expires_at)},
                       {"payment_code", code.empty() ? nlohmann::json() : nlohmann::json(code)}};
    if (order.channel == billing::Channel::bank && channels.bank) {
        out["bank"] = {{"bank_name", channels.bank->bank_name},
                       {"account_name", channels.bank->account_name},
                       {"account_number", channels.bank->account_number},
                       {"reference", order.order_no}};
    }
    return out;
}

}  // namespace

void OrdersApi::add_routes(http::Router& router) {
    router.add(http::Method::post, "/api/v1/orders",
               [this](const HttpRequest& req) { return create(req); });
}

std::expected<std::int64_t, HttpResponse> OrdersApi::account_of(const Caller& caller,
                                                                std::chrono::sys_seconds now) {
    billing::Owner owner{billing::OwnerKind::user, *caller.user_id};
    if (caller.org_id) {
        auto memberships = memberships_(*caller.user_id);
        if (!memberships) {
            return std::unexpected(error(503, "temporarily_unavailable", "try again later"));
        }
        const auto it = std::ranges::find_if(
            *memberships, [&](const org::Membership& m) { return m.org_id == *caller.org_id; });
        if (it == memberships->end() || it->role == org::Role::member) {
            return std::unexpected(error(403, "forbidden",
                                         "only an owner or admin of the organization may top "
                                         "up its balance"));
        }
        owner = {billing::OwnerKind::org, *caller.org_id};
    }
    auto account = billing::AccountStore(db_).open(owner, settings_.free_plan, now);
    if (!account) {
        return std::unexpected(error(503, "temporarily_unavailable", "try again later"));
    }
    return account->id;
}

HttpResponse OrdersApi::create(const HttpRequest& req) {
    auto caller = auth_.authenticate(req, scope_billing_pay);
    if (!caller) {
        return std::move(caller.error());
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "the body must be a JSON object");
    }
    const auto amount = body->find("amount");
    if (amount == body->end() || !amount->is_string()) {
        return error(400, "invalid_request", "amount must be a string of yuan, like \"12.34\"");
    }
    auto fen = billing::parse_yuan(amount->get<std::string>());
    if (!fen) {
        return error(400, "invalid_request", "amount: " + fen.error().message);
    }
    const auto channel_field = body->find("channel");
    const auto channel = channel_field != body->end() && channel_field->is_string()
                             ? billing::parse_channel(channel_field->get<std::string>())
                             : std::nullopt;
    if (!channel || !channels_.offers(*channel)) {
        return error(400, "invalid_request", "channel must be one of the offered channels");
    }
    auto account = account_of(*caller, now);
    if (!account) {
        return std::move(account.error());
    }
    const std::string key = req.headers.get("Idempotency-Key").value_or("");
    auto order =
        billing::OrderStore(db_).create({*account, *fen, *channel, key}, now, settings_.order_ttl);
    if (!order) {
        switch (order.error().kind) {
            case billing::Error::Kind::invalid:
                return error(400, "invalid_request", order.error().message);
            case billing::Error::Kind::conflict:
                return error(422, "idempotency_key_reused", order.error().message);
            default:
                return error(503, "temporarily_unavailable", "try again later");
        }
    }
    if (!order->replayed) {
        spdlog::info("user {} billing account {}: top-up order {} via the API", *caller->user_id,
                     *account, order->order_no);
    }
    const auto code = billing::payment_code(db_, channels_, *order, now);
    return json(order->replayed ? 200 : 201, order_json(*order, code, channels_));
}

}  // namespace idpd::api
