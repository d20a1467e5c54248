#pragma once

#include <optional>

#include "account/password_policy.h"
#include "auth/password_hasher.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "http/router.h"
#include "store/database.h"
#include "web/account_pages.h"
#include "web/logout_pages.h"
#include "web/page_kit.h"
#include "web/signin_pages.h"
#include "web/signup_pages.h"

namespace idpd::web {

// The person-facing pages, one group per file:
//   GET  /                         → /account
//   /signin, /signout              signin_pages.h
//   /signup, /terms                signup_pages.h
//   /account, its session revoke   account_pages.h
//   /logout's pages                logout_pages.h (the route is oidc::Provider's; app/ wires it)
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

    const Renderer& renderer() const { return kit_.renderer(); }

    // The live session of the browser that sent `req`, when its user is active: what
    // /authorize asks (app/ hands it to oidc::Provider). Nullopt when there is none.
    std::optional<auth::Session> signed_in_session(const http::HttpRequest& req) {
        return kit_.signed_in_session(req);
    }

    // The pages /logout renders (oidc::LogoutEndpoint decides, app/ connects the two).
    LogoutPages& logout_pages() { return logout_; }

    // Who hears of every session the pages end (PageKit::set_session_end_listener).
    void set_session_end_listener(SessionEndListener listener) {
        kit_.set_session_end_listener(std::move(listener));
    }

private:
    http::HttpResponse post_lang(const http::HttpRequest& req);

    PageKit kit_;
    SigninPages signin_;
    SignupPages signup_;
    AccountPages account_;
    LogoutPages logout_;
};

}  // namespace idpd::web
