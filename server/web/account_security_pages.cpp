#include "web/account_security_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "auth/signin_history_store.h"
#include "web/account_layout.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

// How many of the account's audit events the tab lists.
constexpr std::size_t shown_events = 20;

std::string device_text(const PageKit& kit, const Visit& visit, std::string_view user_agent) {
    auto [browser, os] = describe_agent(user_agent);
    if (!browser.empty() && !os.empty()) {
        return kit.text(visit, "account.on", {{"browser", browser}, {"os", os}});
    }
    if (!browser.empty() || !os.empty()) {
        return browser + os;
    }
    return kit.text(visit, "account.unknown_device");
}

}  // namespace

void AccountSecurityPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/account/security",
               [this](const HttpRequest& req) { return get_security(req); });
    router.add(Method::post, "/account/sessions/:id/revoke",
               [this](const HttpRequest& req) { return post_revoke_session(req); });
}

HttpResponse AccountSecurityPages::get_security(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fsecurity");
    }
    auto data = account_page_data(kit_, visit, AccountTab::security,
                                  kit_.text(visit, "center.security.heading"));
    if (!add_history(visit, data) || !add_sessions(visit, data) || !add_events(visit, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.page(visit, "account_security", 200, std::move(data));
}

bool AccountSecurityPages::add_history(Visit& visit, mstch::map& data) {
    auth::SigninHistoryStore history{kit_.db()};
    auto attempts = history.recent(visit.user->id);
    if (!attempts) {
        spdlog::error("security tab history: {}", attempts.error().message);
        return false;
    }
    mstch::array rows;
    for (const auto& a : *attempts) {
        rows.push_back(mstch::map{
            {"time", format_time(a.occurred_at)},
            {"time_iso", iso_time(a.occurred_at)},
            {"ip", a.ip},
            {"device", a.device == "?" ? kit_.text(visit, "account.unknown_device") : a.device},
            {"method", a.method},
            {"success", a.success},
        });
    }
    data["has_signins"] = !rows.empty();
    data["signins"] = rows;
    return true;
}

bool AccountSecurityPages::add_sessions(Visit& visit, mstch::map& data) {
    auto sessions = kit_.sessions().list_live(visit.user->id, kit_.now());
    if (!sessions) {
        spdlog::error("security tab sessions: {}", sessions.error().message);
        return false;
    }
    mstch::array rows;
    for (const auto& s : *sessions) {
        rows.push_back(mstch::map{
            {"id", std::to_string(s.id)},
            {"device", device_text(kit_, visit, s.user_agent)},
            {"ip", s.ip},
            {"created", format_time(s.created_at)},
            {"created_iso", iso_time(s.created_at)},
            {"seen", format_time(s.last_seen_at)},
            {"seen_iso", iso_time(s.last_seen_at)},
            {"current", s.id == visit.session->id},
            {"persistent", s.persistent},
        });
    }
    data["sessions"] = rows;
    return true;
}

bool AccountSecurityPages::add_events(Visit& visit, mstch::map& data) {
    auto events = audit::tail(kit_.db(), {shown_events, visit.user->id, std::nullopt});
    if (!events) {
        spdlog::error("security tab events: {}", events.error().message);
        return false;
    }
    mstch::array rows;
    // tail() is oldest first; the tab shows the newest first.
    for (auto it = events->rbegin(); it != events->rend(); ++it) {
        rows.push_back(mstch::map{
            {"time", format_time(it->occurred_at)},
            {"time_iso", iso_time(it->occurred_at)},
            {"type", it->type},
            {"ip", it->ip},
        });
    }
    data["has_events"] = !rows.empty();
    data["events"] = rows;
    return true;
}

HttpResponse AccountSecurityPages::post_revoke_session(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fsecurity");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    std::int64_t id = 0;
    const std::string text_id = req.path_param("id").value_or("");
    auto [end, ec] = std::from_chars(text_id.data(), text_id.data() + text_id.size(), id);
    if (ec == std::errc{} && end == text_id.data() + text_id.size()) {
        auto revoked = kit_.sessions().revoke_by_id(visit.user->id, id, kit_.now());
        if (!revoked && revoked.error().kind != store::Error::Kind::not_found) {
            spdlog::error("session revoke failed: {}", revoked.error().message);
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        if (revoked) {
            auto event = PageKit::audit_event(req, audit::EventType::session_revoke);
            event.user_id = visit.user->id;
            event.detail = {{"session_id", id}, {"current", id == visit.session->id}};
            kit_.record(event);
            spdlog::info("user {} ended session {}", visit.user->id, id);
            kit_.session_ended(visit.user->id, id);
        }
    }
    if (id == visit.session->id) {
        visit.set_cookies.push_back(kit_.cookies().clear(session_cookie));
        return kit_.redirect(visit, "/signin?signed_out=1");
    }
    return kit_.redirect(visit, "/account/security");
}

}  // namespace idpd::web
