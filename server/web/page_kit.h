// The pieces every page handler shares: what a request learns first (language, session, CSRF
// secret), rendering with the layout, CSRF checks, redirects, and opening a session. Each group
// of pages (signin_pages.h, signup_pages.h, account_pages.h, …) holds a PageKit&.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mstch/mstch.hpp>

#include "account/user.h"
#include "audit/audit_log.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "http/request.h"
#include "notify/notifier.h"
#include "store/database.h"
#include "web/account_options.h"
#include "web/cookies.h"
#include "web/locale.h"
#include "web/renderer.h"

namespace idpd::web {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline constexpr std::string_view session_cookie = "idpd_session";
inline constexpr std::string_view form_cookie = "idpd_form";
inline constexpr std::string_view lang_cookie = "idpd_lang";

// The pages' settings. Config: [web] and [sessions] (app/web_settings.cpp maps them).
struct SiteOptions {
    std::string issuer = "http://localhost:8080";  // its origin is the only one allowed to POST
    std::filesystem::path templates_dir = "templates";
    // Development only: cookies without the __Host- prefix and without Secure, for a browser
    // on plain http. Never with an https issuer (the configuration refuses it).
    bool plain_http_cookies = false;
    // Lifetime of the pre-session cookie whose token protects the sign-in and sign-up forms.
    std::chrono::seconds form_cookie_lifetime{std::chrono::hours(2)};
    // The terms page's text; paragraphs are separated by a blank line. Empty: the catalog's
    // placeholder in the reader's language.
    std::string terms_text;
    std::chrono::seconds verify_email_ttl{std::chrono::hours(2)};
    std::chrono::seconds password_reset_ttl{std::chrono::minutes(30)};
    std::chrono::seconds email_resend_cooldown{60};
    // Development only: route GET /dev/outbox (web/dev_outbox_pages.h). Config:
    // notify.dev_outbox_page, refused with an https issuer.
    bool dev_outbox_page = false;
    // The account center's settings. Config: [account].
    AccountOptions account{};
    // Notices by WeChat (web/notices.h, notification_pages.h): the template id per event, and
    // the official account's callback Token. Config: [notify] wechat_*.
    notify::WechatTemplates wechat_templates{};
    std::string wechat_callback_token;
};

// What every page request learns first: the language, the session and its user, the secret the
// CSRF token derives from, and the cookies the response must set.
struct Visit {
    Locale locale = Locale::zh_cn;
    std::optional<auth::Session> session;
    std::string session_token;
    std::optional<account::User> user;
    std::string form_secret;  // the pre-session cookie's value
    std::vector<std::string> set_cookies;
    std::string current;  // this page's path and query, for the language switch
    // The language the RP asked for with ui_locales ("en"), kept in every form and link of the
    // sign-in pages so a re-rendered page or the next one speaks it too; empty when not asked.
    std::string ui_locales;
};

// A browser session that has just ended, for whoever must hear of it (back-channel logout).
struct EndedSession {
    std::int64_t user_id = 0;
    std::int64_t session_id = 0;  // the sessions row id: the ID tokens' sid
};

// Called once for each session the pages end; must return quickly (queue the work).
using SessionEndListener = std::function<void(const EndedSession&)>;

// Called when a user's password was set anew (a reset; later a change): whatever was granted
// under the old one and outlives sessions (refresh tokens) must end.
using PasswordChangeListener = std::function<void(std::int64_t user_id)>;

class PageKit {
public:
    // Throws std::runtime_error when the templates cannot be read.
    PageKit(SiteOptions options, store::Database& db, auth::SessionOptions sessions,
            auth::RandomSource& random, Clock clock);

    Visit begin(const http::HttpRequest& req);
    std::string csrf_for(const Visit& visit) const;
    // The request comes from our origin and carries the form's token.
    bool csrf_ok(const http::HttpRequest& req, const Visit& visit, const std::string& token) const;
    mstch::map base_data(const Visit& visit, const std::string& title, bool auth_page) const;
    // `target` with the visit's ui_locales added, for links between the sign-in pages.
    std::string link(const Visit& visit, std::string_view target) const;
    http::HttpResponse page(Visit& visit, std::string_view name, int status, mstch::map data);
    http::HttpResponse redirect(Visit& visit, const std::string& location);
    http::HttpResponse error_page(Visit& visit, int status, std::string_view heading_key,
                                  std::string_view message_key);
    // Adds the visit's cookies and the headers every page needs.
    http::HttpResponse finish(Visit& visit, http::HttpResponse response) const;
    std::string text(const Visit& visit, std::string_view key,
                     const std::map<std::string, std::string>& args = {}) const;
    std::chrono::sys_seconds now() const;

    // The same clock to the millisecond (sign-in throttling compares failures 1 s apart).
    std::chrono::system_clock::time_point precise_now() const { return clock_(); }

    // The address the request came from (X-Forwarded-For from a trusted proxy, else the peer).
    static std::string client_ip(const http::HttpRequest& req);
    // An audit event of `type` carrying the request's client IP and User-Agent.
    static audit::Event audit_event(const http::HttpRequest& req, audit::EventType type);
    // Records `event` now. A failure is logged, not shown: what it describes has happened.
    void record(const audit::Event& event);

    // Opens a session for `user_id` (ending `visit`'s old one) and sets its cookie. `amr`: the
    // RFC 8176 methods the user just proved, space-separated; `second_factor`: they include a
    // second factor, so the session starts at the MFA level. Sign-in pages call this only
    // through SecondStepPages::begin (web/second_step_pages.h), which decides whether a
    // second step comes first.
    bool open_session(const http::HttpRequest& req, Visit& visit, std::int64_t user_id,
                      bool persistent, std::string_view amr = "pwd", bool second_factor = false);

    // The live session of the browser that sent `req`, when its user is active.
    std::optional<auth::Session> signed_in_session(const http::HttpRequest& req);

    // Ends `visit`'s session, if any (sign-out, /logout), clears its cookie and tells the
    // listener. False when the database failed (nothing changed then).
    bool end_session(Visit& visit);

    // The one hook for "a session ended": every path that ends a session (sign-out, /logout,
    // a revoke on the account page, a new sign-in replacing the old session, later a password
    // reset) calls session_ended after the session row is revoked. app/ sets the listener
    // once, before serving.
    void set_session_end_listener(SessionEndListener listener) {
        session_end_listener_ = std::move(listener);
    }

    void session_ended(std::int64_t user_id, std::int64_t session_id) const;

    // The hook for "the password changed"; app/ sets it once, before serving.
    void set_password_change_listener(PasswordChangeListener listener) {
        password_change_listener_ = std::move(listener);
    }

    void password_changed(std::int64_t user_id) const {
        if (password_change_listener_) {
            password_change_listener_(user_id);
        }
    }

    const SiteOptions& options() const { return options_; }

    const CookiePolicy& cookies() const { return cookies_; }

    const Renderer& renderer() const { return renderer_; }

    store::Database& db() { return db_; }

    auth::SessionStore& sessions() { return sessions_; }

    auth::RandomSource& random() { return random_; }

private:
    // Gives `visit` a pre-session secret (and its cookie) if it has none.
    void ensure_form_secret(Visit& visit);

    SiteOptions options_;
    std::string origin_;
    CookiePolicy cookies_;
    Renderer renderer_;
    store::Database& db_;
    auth::SessionStore sessions_;
    auth::RandomSource& random_;
    Clock clock_;
    SessionEndListener session_end_listener_;
    PasswordChangeListener password_change_listener_;
};

}  // namespace idpd::web
