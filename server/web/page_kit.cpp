#include "web/page_kit.h"

#include <array>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "web/csrf.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/return_to.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

PageKit::PageKit(SiteOptions options, store::Database& db, auth::SessionOptions sessions,
                 auth::RandomSource& random, Clock clock)
    : options_(std::move(options)),
      origin_(origin_of(options_.issuer)),
      cookies_{!options_.plain_http_cookies},
      renderer_(options_.templates_dir),
      db_(db),
      sessions_(db, random, sessions),
      random_(random),
      clock_(std::move(clock)) {}

std::optional<auth::Session> PageKit::signed_in_session(const HttpRequest& req) {
    auto token = cookie_value(req, cookies_.name(session_cookie));
    if (!token) {
        return std::nullopt;
    }
    auto session = sessions_.find(*token, now());
    if (!session) {
        if (session.error().kind != store::Error::Kind::not_found) {
            spdlog::warn("session look-up failed: {}", session.error().message);
        }
        return std::nullopt;
    }
    account::UserStore users{db_};
    auto user = users.find_by_id(session->user_id);
    if (!user || !user->is_active()) {
        return std::nullopt;
    }
    return *session;
}

std::chrono::sys_seconds PageKit::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(clock_());
}

std::string PageKit::client_ip(const HttpRequest& req) {
    return req.client_ip.empty() ? req.peer_ip : req.client_ip;
}

audit::Event PageKit::audit_event(const HttpRequest& req, audit::EventType type) {
    audit::Event event;
    event.type = type;
    event.ip = client_ip(req);
    event.user_agent = req.headers.get("User-Agent").value_or("");
    return event;
}

void PageKit::record(const audit::Event& event) {
    if (auto recorded = audit::record(db_, event, now()); !recorded) {
        spdlog::error("cannot record audit event {}: {}", audit::type_name(event.type),
                      recorded.error().message);
    }
}

Visit PageKit::begin(const HttpRequest& req) {
    Visit visit;
    const auto lang = cookie_value(req, cookies_.name(lang_cookie)).value_or("");
    const auto accept = req.headers.get("Accept-Language").value_or("");
    std::string ui_locales = first_query_param(req, "ui_locales");
    if (ui_locales.empty() && req.method == http::Method::post) {
        ui_locales = Form(req).get("ui_locales");  // the forms carry it in a hidden field
    }
    if (auto asked = match_ui_locales(ui_locales)) {
        visit.ui_locales = locale_tag(*asked);
    }
    visit.locale = negotiate_locale({ui_locales, lang, accept});

    if (auto token = cookie_value(req, cookies_.name(session_cookie))) {
        auto session = sessions_.find(*token, now());
        if (session) {
            account::UserStore users{db_};
            auto user = users.find_by_id(session->user_id);
            if (user && user->is_active()) {
                visit.session = *session;
                visit.session_token = *token;
                visit.user = *user;
            }
        } else if (session.error().kind != store::Error::Kind::not_found) {
            spdlog::warn("session look-up failed: {}", session.error().message);
        }
    }
    if (auto secret = cookie_value(req, cookies_.name(form_cookie));
        secret && secret->size() == 64) {
        visit.form_secret = *secret;
    }
    if (!visit.user) {
        ensure_form_secret(visit);
    }
    std::string current = req.path + (req.query.empty() ? "" : "?" + req.query);
    visit.current = safe_return_to(current).value_or(req.path);
    return visit;
}

void PageKit::ensure_form_secret(Visit& visit) {
    if (!visit.form_secret.empty()) {
        return;
    }
    std::array<std::uint8_t, 32> raw{};
    random_.fill(raw);
    visit.form_secret =
        auth::to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    visit.set_cookies.push_back(
        cookies_.set(form_cookie, visit.form_secret, options_.form_cookie_lifetime));
}

std::string PageKit::csrf_for(const Visit& visit) const {
    return csrf_token(visit.user ? visit.session_token : visit.form_secret);
}

bool PageKit::csrf_ok(const HttpRequest& req, const Visit& visit, const std::string& token) const {
    if (!same_origin_request(req, origin_)) {
        return false;
    }
    // A form rendered before sign-in carries the pre-session token, one rendered after it the
    // session's: either is accepted, so a second tab does not break.
    return (!visit.session_token.empty() && csrf_token_matches(token, visit.session_token)) ||
           (!visit.form_secret.empty() && csrf_token_matches(token, visit.form_secret));
}

std::string PageKit::text(const Visit& visit, std::string_view key,
                          const std::map<std::string, std::string>& args) const {
    return renderer_.text(visit.locale, key, args);
}

mstch::map PageKit::base_data(const Visit& visit, const std::string& title, bool auth_page) const {
    mstch::map data{
        {"title", title},
        {"csrf", csrf_for(visit)},
        {"current", visit.current},
        {"is_zh", visit.locale == Locale::zh_cn},
        {"is_en", visit.locale == Locale::en},
        {"auth_page", auth_page},
    };
    if (visit.user) {
        data["user"] = mstch::map{{"username", visit.user->username}};
    }
    if (!visit.ui_locales.empty()) {
        data["ui_locales"] = visit.ui_locales;
    }
    data["href_signin"] = link(visit, "/signin");
    data["href_signup"] = link(visit, "/signup");
    data["href_forgot"] = link(visit, "/forgot-password");
    data["href_terms"] = link(visit, "/terms");
    return data;
}

std::string PageKit::link(const Visit& visit, std::string_view target) const {
    return visit.ui_locales.empty() ? std::string(target)
                                    : with_param(target, "ui_locales", visit.ui_locales);
}

HttpResponse PageKit::finish(Visit& visit, HttpResponse response) const {
    for (auto& cookie : visit.set_cookies) {
        response.headers.add("Set-Cookie", cookie);
    }
    visit.set_cookies.clear();
    // Pages carry CSRF tokens and personal data: never cache them.
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Vary", "Cookie, Accept-Language");
    // With the default no-referrer policy a browser sends "Origin: null" on a same-origin form
    // POST (Fetch §3.1 "serialize a request origin"), which the Origin check must refuse; other
    // sites still get no referrer.
    response.headers.set("Referrer-Policy", "same-origin");
    return response;
}

HttpResponse PageKit::page(Visit& visit, std::string_view name, int status, mstch::map data) {
    return finish(visit, HttpResponse::html(status, renderer_.render(name, visit.locale, data)));
}

HttpResponse PageKit::redirect(Visit& visit, const std::string& location) {
    return finish(visit, HttpResponse::redirect(303, location));
}

HttpResponse PageKit::error_page(Visit& visit, int status, std::string_view heading_key,
                                 std::string_view message_key) {
    auto data = base_data(visit, text(visit, "error.title"), true);
    data["heading"] = text(visit, heading_key);
    data["message"] = text(visit, message_key);
    return page(visit, "error", status, std::move(data));
}

bool PageKit::open_session(const HttpRequest& req, Visit& visit, std::int64_t user_id,
                           bool persistent, std::string_view amr, bool second_factor) {
    if (!visit.session_token.empty()) {
        // The old session ends: a session id never survives a sign-in (no fixation).
        if (auto ended = sessions_.revoke(visit.session_token, now()); !ended) {
            spdlog::warn("cannot end the previous session: {}", ended.error().message);
        } else if (visit.session) {
            session_ended(visit.session->user_id, visit.session->id);
        }
    }
    auth::NewSession s{user_id,          client_ip(req), req.headers.get("User-Agent").value_or(""),
                       std::string(amr), persistent,     second_factor};
    auto issued = sessions_.create(s, now());
    if (!issued) {
        spdlog::error("cannot open a session: {}", issued.error().message);
        return false;
    }
    std::optional<std::chrono::seconds> max_age;
    if (persistent) {
        max_age =
            std::chrono::duration_cast<std::chrono::seconds>(issued->session.expires_at - now());
    }
    // The session cookie last: a client that keeps one Set-Cookie per response (wrk's Lua, in
    // bench/wrk/flow.lua) keeps the one that matters.
    visit.set_cookies.push_back(cookies_.clear(form_cookie));
    visit.set_cookies.push_back(cookies_.set(session_cookie, issued->token, max_age));
    return true;
}

bool PageKit::end_session(Visit& visit) {
    if (!visit.session_token.empty()) {
        if (auto ended = sessions_.revoke(visit.session_token, now()); !ended) {
            spdlog::error("cannot end the session: {}", ended.error().message);
            return false;
        }
        if (visit.session) {
            spdlog::info("user {} signed out", visit.session->user_id);
            session_ended(visit.session->user_id, visit.session->id);
        }
    }
    visit.session.reset();
    visit.session_token.clear();
    visit.user.reset();
    visit.set_cookies.push_back(cookies_.clear(session_cookie));
    ensure_form_secret(visit);  // the next page's forms (the language switch) need a token
    return true;
}

void PageKit::session_ended(std::int64_t user_id, std::int64_t session_id) const {
    if (session_end_listener_) {
        session_end_listener_(EndedSession{user_id, session_id});
    }
}

}  // namespace idpd::web
