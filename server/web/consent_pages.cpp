#include "web/consent_pages.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <spdlog/spdlog.h>

#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

// Scopes whose meaning the catalogs describe (consent.scope.<name>).
const std::set<std::string, std::less<>> described{"openid", "profile", "email", "phone",
                                                   "offline_access"};

std::vector<std::string> split_scope(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find(' ', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (end > pos) {
            std::string scope(text.substr(pos, end - pos));
            if (std::ranges::find(out, scope) == out.end()) {
                out.push_back(std::move(scope));
            }
        }
        pos = end + 1;
    }
    return out;
}

std::string join_scope(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        out += (out.empty() ? "" : " ") + s;
    }
    return out;
}

// The extra scopes of issue 7 and the account API's, described in the claims section.
const std::set<std::string, std::less<>> described_claims{
    "plan", "billing", "orgs", "account", "billing:pay", "orgs:manage", "quota:report"};

// The organization of an organization scope, org:<id> (oidc/scope.h's rule), else nullopt.
std::optional<std::int64_t> org_of(std::string_view scope) {
    if (!scope.starts_with("org:") || scope.size() == 4 || scope.size() > 23 || scope[4] == '0') {
        return std::nullopt;
    }
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(scope.data() + 4, scope.data() + scope.size(), id);
    if (ec != std::errc() || end != scope.data() + scope.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

// The consent page only ever sends the browser back to our own /authorize.
bool is_authorize_return(const std::string& return_to) {
    const auto q = return_to.find('?');
    const std::string_view path = std::string_view(return_to).substr(0, q);
    return q != std::string::npos && path.ends_with("/authorize");
}

}  // namespace

void ConsentPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (ConsentPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/consent", bind(&ConsentPages::get_consent));
    router.add(Method::post, "/consent", bind(&ConsentPages::post_consent));
    router.add(Method::get, "/account/apps", bind(&ConsentPages::get_apps));
    router.add(Method::post, "/account/apps/:client_id/withdraw",
               bind(&ConsentPages::post_withdraw));
}

mstch::array ConsentPages::scope_lines(const Visit& visit, const std::vector<std::string>& scopes,
                                       const std::vector<org::Membership>& orgs) const {
    mstch::array lines;
    for (const auto& scope : scopes) {
        if (auto org = org_of(scope)) {
            auto member = std::ranges::find(orgs, *org, &org::Membership::org_id);
            lines.emplace_back(
                member == orgs.end()
                    ? kit_.text(visit, "claims.scope_org_id", {{"id", std::to_string(*org)}})
                    : kit_.text(
                          visit, "claims.scope_org",
                          {{"name",
                            member->display_name.empty() ? member->name : member->display_name},
                           {"role", kit_.text(visit, "claims.role." + std::string(org::role_name(
                                                                          member->role)))}}));
        } else if (described.contains(scope)) {
            lines.emplace_back(kit_.text(visit, "consent.scope." + scope));
        } else if (described_claims.contains(scope)) {
            lines.emplace_back(kit_.text(visit, "claims.scope." + scope));
        } else {
            lines.emplace_back(kit_.text(visit, "consent.scope_other", {{"scope", scope}}));
        }
    }
    return lines;
}

store::Result<std::optional<std::vector<std::string>>> ConsentPages::allowed_scopes(
    const ClientSummary& client, std::int64_t user_id, const std::string& requested,
    std::vector<org::Membership>& orgs) const {
    const bool orgs_allowed = std::ranges::find(client.scopes, "orgs") != client.scopes.end();
    std::vector<std::string> scopes;
    for (auto& scope : split_scope(requested)) {
        if (std::ranges::find(client.scopes, scope) != client.scopes.end()) {
            scopes.push_back(std::move(scope));
            continue;
        }
        auto org = org_of(scope);
        if (!org || !orgs_allowed) {
            continue;  // only what the client may ask for: the URL is the browser's, not ours
        }
        if (orgs.empty() && memberships_) {
            auto found = memberships_(user_id);
            if (!found) {
                return std::unexpected(found.error());
            }
            orgs = std::move(*found);
        }
        if (std::ranges::find(orgs, *org, &org::Membership::org_id) == orgs.end()) {
            return std::optional<std::vector<std::string>>();
        }
        scopes.push_back(std::move(scope));
    }
    return std::optional(std::move(scopes));
}

HttpResponse ConsentPages::get_consent(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const std::string return_to = checked_return_to(first_query_param(req, "return_to"));
    if (return_to.empty() || !is_authorize_return(return_to)) {
        return kit_.error_page(visit, 400, "error.title", "consent.bad_request");
    }
    if (!visit.user) {
        // Signing in brings the browser back to /authorize, which asks again.
        return kit_.redirect(visit, "/signin?return_to=" + http::url_encode(return_to));
    }
    const std::string client_id = first_query_param(req, "client_id");
    auto client = clients_ ? clients_(client_id) : std::nullopt;
    if (!client) {
        return kit_.error_page(visit, 400, "error.title", "consent.bad_request");
    }
    std::vector<org::Membership> orgs;
    auto allowed = allowed_scopes(*client, visit.user->id, first_query_param(req, "scope"), orgs);
    if (!allowed) {
        spdlog::error("consent page: {}", allowed.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*allowed) {
        return kit_.error_page(visit, 403, "error.title", "claims.not_member");
    }
    const std::vector<std::string> scopes = std::move(**allowed);
    auto data = kit_.base_data(visit, kit_.text(visit, "consent.title"), true);
    data["heading"] = kit_.text(visit, "consent.heading", {{"client", client->name}});
    data["client_name"] = client->name;
    data["client_id"] = client->client_id;
    data["signed_in_as"] =
        kit_.text(visit, "consent.signed_in_as", {{"name", visit.user->username}});
    data["scopes"] = scope_lines(visit, scopes, orgs);
    data["scope"] = join_scope(scopes);
    data["return_to"] = return_to;
    data["switch_href"] = "/signin?prompt=login&return_to=" + http::url_encode(return_to);
    return kit_.page(visit, "consent", 200, std::move(data));
}

HttpResponse ConsentPages::post_consent(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string return_to = checked_return_to(submitted.get("return_to"));
    if (return_to.empty() || !is_authorize_return(return_to)) {
        return kit_.error_page(visit, 400, "error.title", "consent.bad_request");
    }
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=" + http::url_encode(return_to));
    }
    if (submitted.get("decision") != "allow") {
        spdlog::info("user {} denied consent to {}", visit.user->id, submitted.get("client_id"));
        return kit_.redirect(visit, return_to + "&idpd_consent=denied");
    }
    auto client = clients_ ? clients_(submitted.get("client_id")) : std::nullopt;
    if (!client) {
        return kit_.error_page(visit, 400, "error.title", "consent.bad_request");
    }
    // Only what the client may ask for, and only organizations of this user: the form is the
    // browser's, not ours.
    std::vector<org::Membership> orgs;
    auto allowed = allowed_scopes(*client, visit.user->id, submitted.get("scope"), orgs);
    if (!allowed) {
        spdlog::error("consent: {}", allowed.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (!*allowed) {
        return kit_.error_page(visit, 403, "error.title", "claims.not_member");
    }
    const std::vector<std::string> scopes = std::move(**allowed);
    if (auto granted = consents_.grant(visit.user->id, client->client_id, scopes, kit_.now());
        !granted) {
        spdlog::error("cannot record consent: {}", granted.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} consented to {} for {}", visit.user->id, join_scope(scopes),
                 client->client_id);
    return kit_.redirect(visit, return_to);
}

HttpResponse ConsentPages::get_apps(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fapps");
    }
    auto consents = consents_.list(visit.user->id);
    if (!consents) {
        spdlog::error("apps page: {}", consents.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // Names for the organizations of org:<id> consents (a failed look-up shows their ids).
    std::vector<org::Membership> orgs;
    if (memberships_) {
        if (auto found = memberships_(visit.user->id)) {
            orgs = std::move(*found);
        } else {
            spdlog::warn("apps page: memberships: {}", found.error().message);
        }
    }
    mstch::array rows;
    for (const auto& consent : *consents) {
        auto client = clients_ ? clients_(consent.client_id) : std::nullopt;
        rows.push_back(mstch::map{
            {"client_id", consent.client_id},
            {"name", client ? client->name : consent.client_id},
            {"scopes", scope_lines(visit, consent.scopes, orgs)},
            {"granted", format_time(consent.granted_at)},
            {"granted_iso", iso_time(consent.granted_at)},
            {"csrf", kit_.csrf_for(visit)},
        });
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "apps.title"), false);
    data["apps"] = rows;
    data["has_apps"] = !rows.empty();
    if (first_query_param(req, "withdrawn") == "1") {
        data["notice"] = kit_.text(visit, "apps.withdrawn");
    }
    return kit_.page(visit, "apps", 200, std::move(data));
}

HttpResponse ConsentPages::post_withdraw(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fapps");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const std::string client_id = req.path_param("client_id").value_or("");
    auto withdrawn = consents_.withdraw(visit.user->id, client_id);
    if (!withdrawn) {
        spdlog::error("cannot withdraw consent: {}", withdrawn.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*withdrawn) {
        spdlog::info("user {} withdrew consent for {}", visit.user->id, client_id);
        if (on_withdraw_) {
            on_withdraw_(visit.user->id, client_id);
        }
    }
    return kit_.redirect(visit, "/account/apps?withdrawn=1");
}

}  // namespace idpd::web
