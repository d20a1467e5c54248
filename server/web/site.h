#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "account/password_policy.h"
#include "account/user.h"
#include "auth/password_hasher.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "http/router.h"
#include "store/database.h"
#include "web/cookies.h"
#include "web/locale.h"
#include "web/renderer.h"

namespace idpd::web {

using Clock = std::function<std::chrono::system_clock::time_point()>;

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
};

// The person-facing pages:
//   GET  /                         → /account
//   GET  /signin, POST /signin     username or verified email + password, "keep me signed in";
//                                  ?login_hint= prefills, ?prompt=login asks a signed-in user
//   GET  /signup, POST /signup     username, email, password twice, terms
//   GET  /terms                    the terms of service (text from config)
//   POST /signout                  ends this browser's session
//   GET  /account                  the signed-in landing: profile, emails, sessions
//   POST /account/sessions/:id/revoke
//   POST /lang                     remembers a language choice in a cookie
// Every POST needs a same-origin Origin/Referer and the form's CSRF token (web/csrf.h); no GET
// changes state. After a POST the browser is sent on with 303.
class Site {
public:
    // Throws std::runtime_error when the templates cannot be read.
    Site(SiteOptions options, store::Database& db, const auth::PasswordHasher& hasher,
         account::PasswordPolicy policy, auth::SessionOptions sessions, auth::RandomSource& random,
         Clock clock);

    void add_routes(http::Router& router);

    const Renderer& renderer() const { return renderer_; }

    // The live session of the browser that sent `req`, when its user is active: what
    // /authorize asks (app/ hands it to oidc::Provider). Nullopt when there is none.
    std::optional<auth::Session> signed_in_session(const http::HttpRequest& req);

private:
    // What every page request learns first: the language, the session and its user, the
    // secret the CSRF token derives from, and the cookies the response must set.
    struct Visit {
        Locale locale = Locale::zh_cn;
        std::optional<auth::Session> session;
        std::string session_token;
        std::optional<account::User> user;
        std::string form_secret;  // the pre-session cookie's value
        std::vector<std::string> set_cookies;
        std::string current;  // this page's path and query, for the language switch
    };

    Visit begin(const http::HttpRequest& req);
    std::string csrf_for(const Visit& visit) const;
    bool csrf_ok(const http::HttpRequest& req, const Visit& visit, const std::string& token) const;
    mstch::map base_data(const Visit& visit, const std::string& title, bool auth_page) const;
    http::HttpResponse page(Visit& visit, std::string_view name, int status, mstch::map data);
    http::HttpResponse redirect(Visit& visit, const std::string& location);
    http::HttpResponse error_page(Visit& visit, int status, std::string_view heading_key,
                                  std::string_view message_key);
    http::HttpResponse finish(Visit& visit, http::HttpResponse response) const;
    std::string text(const Visit& visit, std::string_view key,
                     const std::map<std::string, std::string>& args = {}) const;
    std::chrono::sys_seconds now() const;
    // Opens a session for `user_id` (ending `visit`'s old one) and sets its cookie.
    bool sign_in(const http::HttpRequest& req, Visit& visit, std::int64_t user_id, bool persistent);

    http::HttpResponse get_signin(const http::HttpRequest& req);
    http::HttpResponse post_signin(const http::HttpRequest& req);
    http::HttpResponse get_signup(const http::HttpRequest& req);
    http::HttpResponse post_signup(const http::HttpRequest& req);
    http::HttpResponse get_terms(const http::HttpRequest& req);
    http::HttpResponse post_signout(const http::HttpRequest& req);
    http::HttpResponse get_account(const http::HttpRequest& req);
    http::HttpResponse post_revoke_session(const http::HttpRequest& req);
    http::HttpResponse post_lang(const http::HttpRequest& req);

    struct SigninForm {
        std::string identifier;
        bool remember = false;
        std::string return_to;
        std::vector<std::string> identifier_errors;
        std::vector<std::string> password_errors;
        std::string form_error;
    };

    http::HttpResponse signin_page(Visit& visit, int status, const SigninForm& form,
                                   const std::string& notice = {});

    struct SignupForm {
        std::string username, email, return_to;
        bool accept_terms = false;
        std::vector<std::string> username_errors, email_errors, password_errors, confirm_errors,
            terms_errors;
    };

    http::HttpResponse signup_page(Visit& visit, int status, const SignupForm& form);

    SiteOptions options_;
    std::string origin_;
    CookiePolicy cookies_;
    Renderer renderer_;
    store::Database& db_;
    const auth::PasswordHasher& hasher_;
    account::PasswordPolicy policy_;
    auth::SessionStore sessions_;
    auth::RandomSource& random_;
    Clock clock_;
};

}  // namespace idpd::web
