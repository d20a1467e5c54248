#include "web/account_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "federation/binding_store.h"
#include "web/federation_pages.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

void AccountPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (AccountPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account", bind(&AccountPages::get_account));
    router.add(Method::post, "/account/sessions/:id/revoke",
               bind(&AccountPages::post_revoke_session));
}

HttpResponse AccountPages::get_account(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount");
    }
    const account::User& user = *visit.user;
    account::UserStore users{kit_.db()};
    auto emails = users.emails(user.id);
    auto sessions = kit_.sessions().list_live(user.id, kit_.now());
    if (!emails || !sessions) {
        spdlog::error("account page: {}",
                      !emails ? emails.error().message : sessions.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "account.title"), false);
    data["welcome"] = kit_.text(visit, "account.welcome", {{"name", user.username}});
    data["account"] = mstch::map{
        {"id", std::to_string(user.id)},
        {"username", user.username},
        {"registered", format_time(user.created_at) + " " + kit_.text(visit, "time.zone")},
        {"registered_iso", iso_time(user.created_at)},
    };
    mstch::array email_rows;
    for (const auto& e : *emails) {
        email_rows.push_back(mstch::map{
            {"address", e.email}, {"verified", e.is_verified()}, {"primary", e.is_primary}});
    }
    data["has_emails"] = !email_rows.empty();
    data["emails"] = email_rows;
    mstch::array session_rows;
    for (const auto& s : *sessions) {
        auto [browser, os] = describe_agent(s.user_agent);
        std::string device;
        if (!browser.empty() && !os.empty()) {
            device = kit_.text(visit, "account.on", {{"browser", browser}, {"os", os}});
        } else if (!browser.empty() || !os.empty()) {
            device = browser + os;
        } else {
            device = kit_.text(visit, "account.unknown_device");
        }
        session_rows.push_back(mstch::map{
            {"id", std::to_string(s.id)},
            {"device", device},
            {"ip", s.ip},
            {"created", format_time(s.created_at)},
            {"created_iso", iso_time(s.created_at)},
            {"seen", format_time(s.last_seen_at)},
            {"seen_iso", iso_time(s.last_seen_at)},
            {"current", s.id == visit.session->id},
            {"persistent", s.persistent},
        });
    }
    data["sessions"] = session_rows;
    if (!add_bindings(visit, data)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (const auto resend = first_query_param(req, "resend"); resend == "sent") {
        data["notice"] = kit_.text(visit, "account.resent");
    } else if (resend == "wait") {
        data["notice"] = kit_.text(visit, "account.resend_wait");
    }
    if (const auto bound = first_query_param(req, "bound"); upstreams_.find(bound) != nullptr) {
        data["notice"] = kit_.text(visit, "federation.bindings.bound",
                                   {{"provider", upstreams_.find(bound)->label()}});
    } else if (first_query_param(req, "unbound") == "1") {
        data["notice"] = kit_.text(visit, "federation.bindings.unbound");
    }
    return kit_.page(visit, "account", 200, std::move(data));
}

bool AccountPages::add_bindings(Visit& visit, mstch::map& data) {
    federation::BindingStore store{kit_.db()};
    auto bindings = store.list(visit.user->id);
    if (!bindings) {
        spdlog::error("account page bindings: {}", bindings.error().message);
        return false;
    }
    mstch::array rows;
    std::vector<std::string> bound;
    for (const auto& b : *bindings) {
        const auto* connector = upstreams_.find(b.provider);
        rows.push_back(mstch::map{
            {"id", std::to_string(b.id)},
            {"provider", b.provider},
            {"label", connector != nullptr ? connector->label() : b.provider},
            {"name", b.display_name.empty() ? b.username : b.display_name},
            {"bound", format_time(b.created_at)},
            {"bound_iso", iso_time(b.created_at)},
        });
        bound.push_back(b.provider);
    }
    data["has_bindings"] = !rows.empty();
    data["bindings"] = rows;
    auto buttons = upstream_buttons(kit_, visit, upstreams_, "bind", "/account", bound);
    data["has_upstreams"] = !buttons.empty();
    data["upstreams"] = buttons;
    return true;
}

HttpResponse AccountPages::post_revoke_session(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount");
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
    return kit_.redirect(visit, "/account");
}

}  // namespace idpd::web
