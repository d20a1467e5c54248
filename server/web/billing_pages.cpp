#include "web/billing_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "billing/account_store.h"
#include "billing/amount.h"
#include "billing/coupon_store.h"
#include "billing/ledger.h"
#include "billing/subscriptions.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t page_size = 20;

// The words ?done= and ?error= may carry, each a catalog key under billing.done / billing.error.
constexpr std::string_view done_words[] = {"upgraded", "downgrade_scheduled", "downgrade_cancelled",
                                           "coupon"};
constexpr std::string_view error_words[] = {
    "insufficient",    "unknown_plan",   "same_plan",      "coupon_unknown", "coupon_used",
    "coupon_redeemed", "coupon_expired", "coupon_not_yet", "unavailable",    "not_allowed"};

bool known(std::string_view word, std::span<const std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::string plan_error(const billing::Error& e) {
    switch (e.code) {
        case billing::Code::unknown_plan:
            return "unknown_plan";
        case billing::Code::same_plan:
            return "same_plan";
        default:
            return e.kind == billing::Error::Kind::insufficient_balance ? "insufficient"
                                                                        : "unavailable";
    }
}

std::string coupon_error(const billing::Error& e) {
    switch (e.code) {
        case billing::Code::coupon_unknown:
            return "coupon_unknown";
        case billing::Code::coupon_already_redeemed:
            return "coupon_redeemed";
        case billing::Code::coupon_used_up:
            return "coupon_used";
        case billing::Code::coupon_expired:
            return "coupon_expired";
        case billing::Code::coupon_not_yet_valid:
            return "coupon_not_yet";
        default:
            return "unavailable";
    }
}

std::size_t page_number(const HttpRequest& req) {
    const std::string text = first_query_param(req, "page");
    std::size_t n = 1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return (ec == std::errc{} && end == text.data() + text.size() && n >= 1 && n <= 100'000) ? n
                                                                                             : 1;
}

// A CSV field: quoted when it holds a comma, quote or line break; a leading =,+,-,@ is
// prefixed with ' so a spreadsheet does not run it as a formula.
std::string csv_field(const std::string& text) {
    const bool formula = !text.empty() &&
                         std::string_view("=+-@").find(text.front()) != std::string_view::npos &&
                         !(text.front() == '-' && text.size() > 1 &&
                           std::isdigit(static_cast<unsigned char>(text[1])));
    const bool quoted = text.find_first_of(",\"\r\n") != std::string::npos;
    std::string out;
    if (quoted) {
        out.push_back('"');
    }
    if (formula) {
        out.push_back('\'');
    }
    for (char c : text) {
        out.push_back(c);
        if (c == '"') {
            out.push_back('"');
        }
    }
    if (quoted) {
        out.push_back('"');
    }
    return out;
}

}  // namespace

std::optional<BillingPages::Current> BillingPages::current_account(const Visit& visit) {
    auto context = billing_context(kit_, visit);
    if (!context) {
        spdlog::error("billing context: {}", context.error().message);
        return std::nullopt;
    }
    auto account =
        billing::AccountStore(kit_.db()).open(context->owner, plans_.free_plan().id, kit_.now());
    if (!account) {
        return std::nullopt;
    }
    return Current{std::move(*context), std::move(*account)};
}

void BillingPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (BillingPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account/billing", bind(&BillingPages::get_billing));
    router.add(Method::post, "/account/billing/plan", bind(&BillingPages::post_plan));
    router.add(Method::post, "/account/billing/coupon", bind(&BillingPages::post_coupon));
    router.add(Method::get, "/account/billing/records", bind(&BillingPages::get_records));
}

HttpResponse BillingPages::get_billing(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling");
    }
    auto current = current_account(visit);
    if (!current) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const billing::Account* account = &current->account;
    const auto usage = billing::quota_usage(kit_.db(), plans_, account->id);
    if (!usage) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "billing.title"), false);
    const billing::Plan* current_plan = plans_.find(account->plan);
    data["billing"] = mstch::map{
        {"plan", account->plan},
        {"balance", billing::format_yuan(account->balance_fen)},
        {"quota", std::to_string(usage->quota)},
        {"used", std::to_string(usage->used)},
        {"remaining", std::to_string(usage->remaining)},
        {"period_end", format_time(account->period_end)},
        {"period_end_iso", iso_time(account->period_end)},
        {"next_plan", account->next_plan.value_or("")},
        {"has_next_plan", account->next_plan.has_value()},
    };
    mstch::array plan_rows;
    for (const auto& plan : plans_.all()) {
        const bool is_current = plan.id == account->plan;
        const bool larger = current_plan == nullptr || plan.multiplier > current_plan->multiplier;
        plan_rows.push_back(mstch::map{
            {"id", plan.id},
            {"price", billing::format_yuan(plan.monthly_price_fen)},
            {"quota", std::to_string(plan.quota)},
            {"current", is_current},
            {"upgrade", !is_current && larger},
            {"downgrade", !is_current && !larger},
        });
    }
    data["plans"] = plan_rows;
    if (!add_context_switch(kit_, visit, current->context, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (const auto done = first_query_param(req, "done"); known(done, done_words)) {
        data["notice"] = kit_.text(visit, "billing.done." + done);
    }
    if (const auto error = first_query_param(req, "error"); known(error, error_words)) {
        data["error"] = kit_.text(visit, "billing.error." + error);
    }
    return kit_.page(visit, "billing", 200, std::move(data));
}

HttpResponse BillingPages::post_plan(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, "/account/billing")) {
        return std::move(*gate);
    }
    auto current = current_account(visit);
    if (!current) {
        return kit_.redirect(visit, "/account/billing?error=unavailable");
    }
    if (!current->context.can_manage) {
        return kit_.redirect(visit, "/account/billing?error=not_allowed");
    }
    const billing::Account* account = &current->account;
    auto changed =
        billing::change_plan(kit_.db(), plans_, account->id, submitted.get("plan"), kit_.now());
    if (!changed) {
        return kit_.redirect(visit, "/account/billing?error=" + plan_error(changed.error()));
    }
    spdlog::info("user {} billing account {}: plan {}", visit.user->id, account->id,
                 submitted.get("plan"));
    const char* done = *changed == billing::PlanChange::upgraded ? "upgraded"
                       : *changed == billing::PlanChange::downgrade_scheduled
                           ? "downgrade_scheduled"
                           : "downgrade_cancelled";
    return kit_.redirect(visit, std::string("/account/billing?done=") + done);
}

HttpResponse BillingPages::post_coupon(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    auto current = current_account(visit);
    if (!current) {
        return kit_.redirect(visit, "/account/billing?error=unavailable");
    }
    if (!current->context.can_manage) {
        return kit_.redirect(visit, "/account/billing?error=not_allowed");
    }
    const billing::Account* account = &current->account;
    auto redeemed =
        billing::CouponStore(kit_.db()).redeem(account->id, submitted.get("code"), kit_.now());
    if (!redeemed) {
        return kit_.redirect(visit, "/account/billing?error=" + coupon_error(redeemed.error()));
    }
    return kit_.redirect(visit, "/account/billing?done=coupon");
}

HttpResponse BillingPages::get_records(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fbilling%2Frecords");
    }
    auto current = current_account(visit);
    if (!current) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const billing::Account* account = &current->account;
    billing::EntryFilter filter;
    const std::string type = first_query_param(req, "type");
    filter.type = billing::parse_entry_type(type);
    const bool csv = first_query_param(req, "format") == "csv";
    const std::size_t page = page_number(req);
    filter.limit = csv ? 100'000 : page_size;
    filter.offset = csv ? 0 : (page - 1) * page_size;
    auto entries = billing::list_entries(kit_.db(), account->id, filter);
    if (!entries) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (csv) {
        std::string body = "time,type,amount,balance_after,reference\r\n";
        for (const auto& e : entries->entries) {
            body += iso_time(e.created_at) + "," + csv_field(e.type) + "," +
                    billing::format_yuan(e.amount_fen) + "," +
                    billing::format_yuan(e.balance_after_fen) + "," + csv_field(e.reference) +
                    "\r\n";
        }
        auto response = HttpResponse::text(200, std::move(body));
        response.headers.set("Content-Type", "text/csv; charset=utf-8");
        response.headers.set("Content-Disposition", "attachment; filename=\"billing-records.csv\"");
        response.headers.set("Cache-Control", "no-store");
        return kit_.finish(visit, std::move(response));
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "billing.records_title"), false);
    mstch::array rows;
    for (const auto& e : entries->entries) {
        rows.push_back(mstch::map{{"time", format_time(e.created_at)},
                                  {"time_iso", iso_time(e.created_at)},
                                  {"type", kit_.text(visit, "billing.type." + e.type)},
                                  {"amount", billing::format_yuan(e.amount_fen)},
                                  {"credit", e.amount_fen > 0},
                                  {"balance_after", billing::format_yuan(e.balance_after_fen)},
                                  {"reference", e.reference}});
    }
    data["records"] = rows;
    data["has_records"] = !rows.empty();
    mstch::array types;
    for (auto name : billing::entry_type_names()) {
        types.push_back(mstch::map{{"name", std::string(name)},
                                   {"label", kit_.text(visit, "billing.type." + std::string(name))},
                                   {"selected", filter.type && name == type}});
    }
    data["types"] = types;
    const std::string filter_query = filter.type ? "&type=" + type : "";
    data["filter_query"] = filter_query;
    if (page > 1) {
        data["prev_page"] =
            "/account/billing/records?page=" + std::to_string(page - 1) + filter_query;
    }
    if (page * page_size < entries->total) {
        data["next_page"] =
            "/account/billing/records?page=" + std::to_string(page + 1) + filter_query;
    }
    data["page"] = std::to_string(page);
    if (!add_context_switch(kit_, visit, current->context, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.page(visit, "billing_records", 200, std::move(data));
}

}  // namespace idpd::web
