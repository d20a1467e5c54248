#include "api/billing_api.h"

#include <charconv>
#include <limits>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "api/reply.h"
#include "audit/audit_log.h"
#include "billing/coupon_records.h"
#include "billing/coupon_store.h"
#include "billing/ledger.h"
#include "billing/order_store.h"
#include "billing/plan_name.h"
#include "billing/quota_reports.h"
#include "billing/subscriptions.h"

namespace idpd::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view currency = "CNY";
constexpr std::size_t list_limit = 100;

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::optional<std::string> query(const HttpRequest& req, std::string_view name) {
    for (auto& [key, value] : req.query_params()) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

// A positive decimal integer without sign, spaces or leading zeros.
std::optional<std::int64_t> parse_positive(std::string_view text) {
    if (text.empty() || text.size() > 18 || text.front() == '0') {
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

// A JSON member that is a whole number (not 1.0, 1e3, true or a string) within int64.
std::optional<std::int64_t> json_integer(const nlohmann::json& value) {
    if (!value.is_number_integer()) {
        return std::nullopt;
    }
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    return value.get<std::int64_t>();
}

HttpResponse not_found(std::string_view what) {
    return error(404, "not_found", what);
}

nlohmann::json order_json(const billing::Order& order) {
    nlohmann::json out{{"order_no", order.order_no},
                       {"amount_fen", order.amount_fen},
                       {"currency", currency},
                       {"channel", billing::channel_name(order.channel)},
                       {"status", order.status},
                       {"created_at", epoch(order.created_at)},
                       {"expires_at", epoch(order.expires_at)},
                       {"paid_at", nullptr}};
    if (order.paid_at) {
        out["paid_at"] = epoch(*order.paid_at);
    }
    return out;
}

nlohmann::json entry_json(const billing::Entry& entry) {
    return {{"id", entry.id},
            {"type", entry.type},
            {"amount_fen", entry.amount_fen},
            {"balance_after_fen", entry.balance_after_fen},
            {"currency", currency},
            {"reference", entry.reference},
            {"created_at", epoch(entry.created_at)}};
}

}  // namespace

HttpResponse billing_error(const billing::Error& failure) {
    switch (failure.kind) {
        case billing::Error::Kind::invalid:
            return error(400, "invalid_request", failure.message);
        case billing::Error::Kind::not_found:
            return not_found(failure.message);
        case billing::Error::Kind::conflict:
            return error(409, "conflict", failure.message);
        case billing::Error::Kind::insufficient_balance:
            return error(402, "insufficient_balance", failure.message);
        case billing::Error::Kind::unavailable:
            break;
    }
    auto response = error(503, "temporarily_unavailable", "the billing service is unavailable");
    response.headers.set("Retry-After", "1");
    return response;
}

void BillingApi::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (BillingApi::*handler)(const HttpRequest&) const) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/api/v1/accounts", bind(&BillingApi::accounts));
    router.add(Method::get, "/api/v1/balance", bind(&BillingApi::balance));
    router.add(Method::get, "/api/v1/transactions", bind(&BillingApi::transactions));
    router.add(Method::get, "/api/v1/orders", bind(&BillingApi::orders));
    router.add(Method::get, "/api/v1/orders/:order_no", bind(&BillingApi::order));
    router.add(Method::get, "/api/v1/coupons", bind(&BillingApi::coupons));
    router.add(Method::post, "/api/v1/coupons/redeem", bind(&BillingApi::redeem));
    router.add(Method::post, "/api/v1/quota/usage", bind(&BillingApi::quota_usage));
}

std::chrono::sys_seconds BillingApi::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

std::expected<billing::Account, HttpResponse> BillingApi::open(const billing::Owner& owner) const {
    billing::AccountStore accounts(db_);
    auto account = accounts.open(owner, catalog_.free_plan().id, now());
    if (!account) {
        return std::unexpected(billing_error(account.error()));
    }
    return std::move(*account);
}

std::expected<std::vector<org::Membership>, HttpResponse> BillingApi::orgs_of(
    const Caller& caller) const {
    std::vector<org::Membership> out;
    if (!memberships_ || !caller.user_id) {
        return out;
    }
    auto all = memberships_(*caller.user_id);
    if (!all) {
        return std::unexpected(
            billing_error({billing::Error::Kind::unavailable, "memberships", all.error()}));
    }
    for (auto& membership : *all) {
        if (!caller.org_id || membership.org_id == *caller.org_id) {
            out.push_back(std::move(membership));
        }
    }
    return out;
}

std::expected<BillingApi::Current, HttpResponse> BillingApi::current(const HttpRequest& req,
                                                                     const Caller& caller) const {
    std::optional<std::int64_t> org = caller.org_id;
    if (auto asked = query(req, "org")) {
        auto id = parse_positive(*asked);
        if (!id) {
            return std::unexpected(error(400, "invalid_request", "org must be an organization id"));
        }
        // An organization-scoped caller sees its organization only.
        if (org && *org != *id) {
            return std::unexpected(not_found("no such organization"));
        }
        org = id;
    }
    if (!org) {
        auto account = open({billing::OwnerKind::user, *caller.user_id});
        if (!account) {
            return std::unexpected(std::move(account.error()));
        }
        return Current{std::move(*account), "personal", std::nullopt};
    }
    auto orgs = orgs_of(caller);
    if (!orgs) {
        return std::unexpected(std::move(orgs.error()));
    }
    for (const auto& membership : *orgs) {
        if (membership.org_id == *org) {
            auto account = open({billing::OwnerKind::org, *org});
            if (!account) {
                return std::unexpected(std::move(account.error()));
            }
            return Current{std::move(*account), membership.name, membership.role};
        }
    }
    return std::unexpected(not_found("no such organization"));
}

nlohmann::json BillingApi::describe(const billing::Account& account) const {
    const billing::Plan* plan = catalog_.find(account.plan);
    nlohmann::json out{
        {"id", account.id},
        {"owner",
         {{"kind", billing::owner_kind_name(account.owner.kind)}, {"id", account.owner.id}}},
        {"plan",
         {{"id", account.plan},
          {"name", billing::plan_display_name(account.plan)},
          {"quota", plan != nullptr ? plan->quota : 0},
          {"quota_used", account.quota_used},
          {"bonus_quota", account.bonus_quota},
          {"period_start", epoch(account.period_start)},
          {"period_end", epoch(account.period_end)},
          {"next_plan", nullptr}}},
        {"balance_fen", account.balance_fen},
        {"currency", currency}};
    if (account.next_plan) {
        out["plan"]["next_plan"] = *account.next_plan;
    }
    return out;
}

HttpResponse BillingApi::accounts(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    nlohmann::json list = nlohmann::json::array();
    if (!caller->org_id) {
        auto personal = open({billing::OwnerKind::user, *caller->user_id});
        if (!personal) {
            return std::move(personal.error());
        }
        auto entry = describe(*personal);
        entry["label"] = "personal";
        list.push_back(std::move(entry));
    }
    auto orgs = orgs_of(*caller);
    if (!orgs) {
        return std::move(orgs.error());
    }
    for (const auto& membership : *orgs) {
        auto account = open({billing::OwnerKind::org, membership.org_id});
        if (!account) {
            return std::move(account.error());
        }
        auto entry = describe(*account);
        entry["label"] = membership.name;
        entry["role"] = org::role_name(membership.role);
        list.push_back(std::move(entry));
    }
    return json(200, {{"accounts", std::move(list)}});
}

HttpResponse BillingApi::balance(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    auto found = current(req, *caller);
    if (!found) {
        return std::move(found.error());
    }
    const auto& account = found->account;
    return json(
        200, {{"account_id", account.id},
              {"owner",
               {{"kind", billing::owner_kind_name(account.owner.kind)}, {"id", account.owner.id}}},
              {"balance_fen", account.balance_fen},
              {"currency", currency}});
}

HttpResponse BillingApi::transactions(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    billing::EntryFilter filter;
    if (auto type = query(req, "type")) {
        filter.type = billing::parse_entry_type(*type);
        if (!filter.type) {
            return error(400, "invalid_request", "type must be one of the transaction types");
        }
    }
    std::int64_t page = 1;
    if (auto text = query(req, "page")) {
        auto parsed = parse_positive(*text);
        if (!parsed || *parsed > 1'000'000) {
            return error(400, "invalid_request", "page must be a number from 1");
        }
        page = *parsed;
    }
    if (auto text = query(req, "per_page")) {
        auto parsed = parse_positive(*text);
        if (!parsed || *parsed > static_cast<std::int64_t>(list_limit)) {
            return error(400, "invalid_request", "per_page must be a number from 1 to 100");
        }
        filter.limit = static_cast<std::size_t>(*parsed);
    }
    filter.offset = static_cast<std::size_t>(page - 1) * filter.limit;
    auto found = current(req, *caller);
    if (!found) {
        return std::move(found.error());
    }
    auto listed = billing::list_entries(db_, found->account.id, filter);
    if (!listed) {
        return billing_error(listed.error());
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& entry : listed->entries) {
        rows.push_back(entry_json(entry));
    }
    return json(200, {{"transactions", std::move(rows)},
                      {"page", page},
                      {"per_page", filter.limit},
                      {"total", listed->total},
                      {"has_more", filter.offset + listed->entries.size() < listed->total}});
}

HttpResponse BillingApi::orders(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    auto found = current(req, *caller);
    if (!found) {
        return std::move(found.error());
    }
    auto listed = billing::OrderStore(db_).list(found->account.id, list_limit);
    if (!listed) {
        return billing_error(listed.error());
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& order : *listed) {
        rows.push_back(order_json(order));
    }
    return json(200, {{"orders", std::move(rows)}});
}

HttpResponse BillingApi::order(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    auto found = billing::OrderStore(db_).find(req.path_param("order_no").value_or(""));
    if (!found) {
        return found.error().kind == billing::Error::Kind::not_found ? not_found("no such order")
                                                                     : billing_error(found.error());
    }
    // Visible when it belongs to an account the caller may see: their own (unless the caller
    // is limited to an organization) or one of their organizations'.
    std::vector<billing::Owner> owners;
    if (!caller->org_id) {
        owners.push_back({billing::OwnerKind::user, *caller->user_id});
    }
    auto orgs = orgs_of(*caller);
    if (!orgs) {
        return std::move(orgs.error());
    }
    for (const auto& membership : *orgs) {
        owners.push_back({billing::OwnerKind::org, membership.org_id});
    }
    billing::AccountStore accounts(db_);
    for (const auto& owner : owners) {
        auto account = accounts.find(owner);
        if (!account && account.error().kind != billing::Error::Kind::not_found) {
            return billing_error(account.error());
        }
        if (account && account->id == found->account_id) {
            return json(200, order_json(*found));
        }
    }
    return not_found("no such order");
}

HttpResponse BillingApi::coupons(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing);
    if (!caller) {
        return std::move(caller.error());
    }
    auto found = current(req, *caller);
    if (!found) {
        return std::move(found.error());
    }
    auto records = billing::coupon_records(db_, found->account.id, list_limit);
    if (!records) {
        return billing_error(records.error());
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& record : *records) {
        rows.push_back({{"coupon_id", record.coupon_id},
                        {"code_hint", record.code_hint},
                        {"amount_fen", record.amount_fen},
                        {"currency", currency},
                        {"transaction_id", record.ledger_id},
                        {"redeemed_at", epoch(record.redeemed_at)}});
    }
    return json(200, {{"coupons", std::move(rows)}});
}

HttpResponse BillingApi::redeem(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_billing_pay);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body || !body->contains("code") || !(*body)["code"].is_string()) {
        return error(400, "invalid_request", "send {\"code\": \"<coupon code>\"}");
    }
    const auto code = (*body)["code"].get<std::string>();
    if (code.empty() || code.size() > 64) {
        return error(400, "invalid_request", "code must have 1 to 64 characters");
    }
    auto found = current(req, *caller);
    if (!found) {
        return std::move(found.error());
    }
    if (found->role == org::Role::member) {
        return error(403, "forbidden",
                     "only the organization's owner or an admin may redeem coupons for it");
    }
    auto redeemed = billing::CouponStore(db_).redeem(found->account.id, code, now());
    if (!redeemed) {
        return billing_error(redeemed.error());
    }
    audit::Event event{audit::EventType::billing_coupon_redeemed,
                       caller->user_id,
                       {},
                       req.client_ip,
                       req.headers.get("User-Agent").value_or(""),
                       {{"account_id", found->account.id},
                        {"coupon_id", redeemed->coupon_id},
                        {"amount_fen", redeemed->entry.amount_fen},
                        {"client_id", caller->client_id}}};
    if (auto recorded = audit::record(db_, event, now()); !recorded) {
        spdlog::warn("api: coupon redemption not audited: {}", recorded.error().message);
    }
    return json(200, {{"coupon_id", redeemed->coupon_id},
                      {"amount_fen", redeemed->entry.amount_fen},
                      {"balance_fen", redeemed->entry.balance_after_fen},
                      {"currency", currency},
                      {"transaction_id", redeemed->entry.id}});
}

std::expected<billing::Account, HttpResponse> BillingApi::reported_account(
    const Caller& caller, const nlohmann::json& named) const {
    const bool user = named.is_object() && named.size() == 1 && named.contains("user");
    const bool org = named.is_object() && named.size() == 1 && named.contains("org");
    const auto id = user  ? json_integer(named["user"])
                    : org ? json_integer(named["org"])
                          : std::nullopt;
    if (!id || *id <= 0) {
        return std::unexpected(
            error(400, "invalid_request", "account must be {\"user\": <id>} or {\"org\": <id>}"));
    }
    if (caller.user_id) {
        // A person's token reports for their own accounts only.
        auto orgs = orgs_of(caller);
        if (!orgs) {
            return std::unexpected(std::move(orgs.error()));
        }
        const bool mine = user ? (*id == *caller.user_id && !caller.org_id)
                               : std::ranges::any_of(*orgs, [&](const org::Membership& m) {
                                     return m.org_id == *id;
                                 });
        if (!mine) {
            return std::unexpected(not_found("no such account"));
        }
        return open({user ? billing::OwnerKind::user : billing::OwnerKind::org, *id});
    }
    // A relying service (client credentials) reports for any existing account.
    if (user) {
        auto person = account::UserStore(db_).find_by_id(*id);
        if (!person) {
            return std::unexpected(
                person.error().kind == store::Error::Kind::not_found
                    ? not_found("no such account")
                    : billing_error({billing::Error::Kind::unavailable, "user", person.error()}));
        }
        return open({billing::OwnerKind::user, *id});
    }
    auto account = billing::AccountStore(db_).find({billing::OwnerKind::org, *id});
    if (!account) {
        return std::unexpected(billing_error(account.error()));
    }
    return std::move(*account);
}

HttpResponse BillingApi::quota_usage(const HttpRequest& req) const {
    auto caller = auth_.authenticate(req, scope_quota_report, false);
    if (!caller) {
        return std::move(caller.error());
    }
    auto body = read_object(req);
    if (!body) {
        return error(400, "invalid_request", "the body must be a JSON object");
    }
    const auto units = body->contains("units") ? json_integer((*body)["units"]) : std::nullopt;
    if (!units) {
        return error(400, "invalid_request", "units must be a whole number");
    }
    if (!body->contains("idempotency_key") || !(*body)["idempotency_key"].is_string()) {
        return error(400, "invalid_request", "idempotency_key must be a string");
    }
    auto account = reported_account(*caller, body->value("account", nlohmann::json()));
    if (!account) {
        return std::move(account.error());
    }
    billing::UsageReport report{account->id, *units, (*body)["idempotency_key"].get<std::string>(),
                                caller->client_id};
    auto outcome = billing::report_usage_once(db_, catalog_, report, now());
    if (!outcome) {
        return billing_error(outcome.error());
    }
    const auto& usage = outcome->usage;
    return json(200, {{"account_id", account->id},
                      {"units", *units},
                      {"replayed", outcome->replayed},
                      {"quota", usage.quota},
                      {"used", usage.used},
                      {"remaining", usage.remaining}});
}

}  // namespace idpd::api
