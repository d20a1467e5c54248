#include "web/api_key_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "web/account_layout.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t max_name_bytes = 64;
constexpr std::array<std::string_view, 4> expiries{"30", "90", "365", "none"};

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

std::string org_label(const std::vector<org::Membership>& orgs, std::int64_t id) {
    for (const auto& m : orgs) {
        if (m.org_id == id) {
            return m.display_name.empty() ? m.name : m.display_name;
        }
    }
    std::string label(1, '#');  // appended, not operator+ (GCC 12's -Wrestrict false positive)
    label += std::to_string(id);
    return label;
}

}  // namespace

void ApiKeyPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (ApiKeyPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account/api-keys", bind(&ApiKeyPages::get_keys));
    router.add(Method::post, "/account/api-keys", bind(&ApiKeyPages::post_create));
    router.add(Method::post, "/account/api-keys/:id/revoke", bind(&ApiKeyPages::post_revoke));
}

store::Result<std::vector<org::Membership>> ApiKeyPages::organizations(std::int64_t user_id) const {
    if (!memberships_) {
        return std::vector<org::Membership>{};
    }
    return memberships_(user_id);
}

mstch::array ApiKeyPages::key_rows(const Visit& visit, const std::vector<account::ApiKey>& keys,
                                   const std::vector<org::Membership>& orgs) const {
    mstch::array rows;
    const auto now = kit_.now();
    for (const auto& key : keys) {
        std::string scopes;
        for (const auto& s : key.scopes) {
            scopes += (scopes.empty() ? "" : " ") + s;
        }
        std::string status = key.revoked_at        ? "revoked"
                             : !key.is_active(now) ? "expired"
                                                   : "active";
        rows.push_back(mstch::map{
            {"id", std::to_string(key.id)},
            {"name", key.name},
            {"hint", key.hint},
            {"scopes", scopes},
            {"org",
             key.org_id ? org_label(orgs, *key.org_id) : kit_.text(visit, "api_keys.personal")},
            {"created", format_time(key.created_at)},
            {"expires",
             key.expires_at ? format_time(*key.expires_at) : kit_.text(visit, "api_keys.never")},
            {"last_used", key.last_used_at ? format_time(*key.last_used_at)
                                           : kit_.text(visit, "api_keys.never_used")},
            {"last_ip", key.last_used_ip},
            {"status", kit_.text(visit, "api_keys.status." + status)},
            {"active", status == "active"},
        });
    }
    return rows;
}

HttpResponse ApiKeyPages::keys_page(Visit& visit, int status, const CreateForm& form) {
    account::ApiKeyStore store(kit_.db(), hasher_);
    auto keys = store.list(visit.user->id);
    auto orgs = organizations(visit.user->id);
    if (!keys || !orgs) {
        spdlog::error("api keys page: {}", !keys ? keys.error().message : orgs.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data =
        account_page_data(kit_, visit, AccountTab::api_keys, kit_.text(visit, "api_keys.title"));
    data["keys"] = key_rows(visit, *keys, *orgs);
    data["has_keys"] = !keys->empty();
    data["name"] = form.name;
    mstch::array scopes;
    for (auto scope : account::api_key_scopes) {
        const std::string name(scope);
        scopes.push_back(mstch::map{
            {"scope", name},
            {"label", kit_.text(visit, "api_keys.scopes." + name)},
            {"checked", std::ranges::find(form.scopes, name) != form.scopes.end()},
        });
    }
    data["scopes"] = scopes;
    mstch::array org_options;
    for (const auto& m : *orgs) {
        org_options.push_back(mstch::map{{"id", std::to_string(m.org_id)},
                                         {"label", org_label(*orgs, m.org_id)},
                                         {"selected", form.org == std::to_string(m.org_id)}});
    }
    data["orgs"] = org_options;
    data["has_orgs"] = !org_options.empty();
    mstch::array expiry_options;
    for (auto e : expiries) {
        expiry_options.push_back(
            mstch::map{{"value", std::string(e)},
                       {"label", kit_.text(visit, "api_keys.expiry." + std::string(e))},
                       {"selected", form.expiry == e}});
    }
    data["expiries"] = expiry_options;
    data["name_error"] = form.name_error;
    data["scope_error"] = form.scope_error;
    data["org_error"] = form.org_error;
    data["secret"] = form.secret;
    if (!form.form_error.empty()) {
        data["form_error"] = form.form_error;
    }
    if (!form.notice.empty()) {
        data["notice"] = form.notice;
    }
    return kit_.page(visit, "api_keys", status, std::move(data));
}

HttpResponse ApiKeyPages::get_keys(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fapi-keys");
    }
    CreateForm form;
    if (first_query_param(req, "revoked") == "1") {
        form.notice = kit_.text(visit, "api_keys.revoked");
    }
    return keys_page(visit, 200, form);
}

std::optional<std::int64_t> ApiKeyPages::check_form(const Visit& visit, CreateForm& form,
                                                    const std::vector<org::Membership>& orgs) {
    if (auto problem = check_input(form.name, max_name_bytes, false)) {
        form.name_error = kit_.text(visit, "errors.input." + std::string(problem_name(*problem)));
        form.name.clear();
    } else if (form.name.empty()) {
        form.name_error = kit_.text(visit, "api_keys.errors.name_required");
    }
    if (form.scopes.empty()) {
        form.scope_error = kit_.text(visit, "api_keys.errors.scope_required");
    }
    if (std::ranges::find(expiries, form.expiry) == expiries.end()) {
        form.form_error = kit_.text(visit, "api_keys.errors.expiry");
    }
    if (form.org.empty()) {
        return std::nullopt;
    }
    auto id = parse_id(form.org);
    const bool member =
        id && std::ranges::any_of(orgs, [&](const org::Membership& m) { return m.org_id == *id; });
    if (!member) {
        form.org_error = kit_.text(visit, "api_keys.errors.org");
        return std::nullopt;
    }
    return id;
}

HttpResponse ApiKeyPages::post_create(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fapi-keys");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, "/account/api-keys")) {
        return std::move(*gate);
    }
    CreateForm form;
    form.name = submitted.get("name");
    form.org = submitted.get("org");
    form.expiry = submitted.get("expiry");
    for (auto scope : account::api_key_scopes) {
        if (submitted.get("scope." + std::string(scope)) == "1") {
            form.scopes.emplace_back(scope);
        }
    }
    auto orgs = organizations(visit.user->id);
    if (!orgs) {
        spdlog::error("api key orgs: {}", orgs.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const auto org_id = check_form(visit, form, *orgs);
    if (!form.name_error.empty() || !form.scope_error.empty() || !form.org_error.empty() ||
        !form.form_error.empty()) {
        if (form.form_error.empty()) {
            form.form_error = kit_.text(visit, "form.has_errors");
        }
        return keys_page(visit, 400, form);
    }
    account::NewApiKey key{visit.user->id, form.name, form.scopes, org_id, std::nullopt};
    if (form.expiry != "none") {
        key.expires_at = kit_.now() + std::chrono::days(std::stoi(form.expiry));
    }
    std::array<std::uint8_t, 32> raw{};
    kit_.random().fill(raw);
    account::ApiKeyStore store(kit_.db(), hasher_);
    auto created = store.create(
        key, std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()), kit_.now());
    if (!created) {
        spdlog::error("api key create: {}", created.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto event = PageKit::audit_event(req, audit::EventType::api_key_created);
    event.user_id = visit.user->id;
    event.detail = {{"id", created->key.id}, {"scopes", form.scopes}};
    if (org_id) {
        event.detail["org_id"] = *org_id;
    }
    kit_.record(event);
    // Shown now and never again; the form starts empty.
    CreateForm shown;
    shown.secret = created->secret;
    auto page = keys_page(visit, 200, shown);
    page.headers.set("Cache-Control", "no-store");
    return page;
}

HttpResponse ApiKeyPages::post_revoke(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fapi-keys");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, "/account/api-keys")) {
        return std::move(*gate);
    }
    auto id = parse_id(req.path_param("id").value_or(""));
    if (!id) {
        return kit_.error_page(visit, 404, "error_pages.not_found_heading", "error.not_found");
    }
    account::ApiKeyStore store(kit_.db(), hasher_);
    auto revoked = store.revoke(visit.user->id, *id, kit_.now());
    if (!revoked) {
        if (revoked.error().kind == store::Error::Kind::not_found) {
            return kit_.error_page(visit, 404, "error_pages.not_found_heading", "error.not_found");
        }
        spdlog::error("api key revoke: {}", revoked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto event = PageKit::audit_event(req, audit::EventType::api_key_revoked);
    event.user_id = visit.user->id;
    event.detail = {{"id", *id}};
    kit_.record(event);
    return kit_.redirect(visit, "/account/api-keys?revoked=1");
}

}  // namespace idpd::web
