#pragma once

#include <cstdint>
#include <string>

#include "auth/pending_login_store.h"
#include "auth/trusted_browser_store.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/two_step.h"

namespace idpd::web {

inline constexpr std::string_view pending_cookie = "idpd_pending";
inline constexpr std::string_view trusted_cookie = "idpd_trusted";

// What a first factor established: who, how (RFC 8176 amr: "pwd" for the password form, an
// upstream sign-in its own), where to go next (a checked local path or empty) and "keep me
// signed in".
struct FirstFactor {
    std::int64_t user_id = 0;
    std::string amr = "pwd";
    std::string return_to;
    bool persistent = false;
    // For the sign-in history (web/signin_history.h): "password" or the upstream's name.
    std::string method = "password";
};

// The second step of sign-in: GET/POST /signin/second-step. Every sign-in path — the password
// form, an upstream (federated) sign-in, a later QR sign-in — ends in begin(), the one place
// that decides between opening the session and asking for a second factor, so no path can
// skip it. Until the second step passes, the browser holds only a pending-login cookie (a
// short-lived, single-use server-side state, auth/pending_login_store.h): no session, no code,
// no token exists.
class SecondStepPages {
public:
    SecondStepPages(PageKit& kit, TwoStep& two_step)
        : kit_(kit),
          two_step_(two_step),
          pending_(kit.db(), kit.random()),
          trusted_(kit.db(), kit.random()) {}

    void add_routes(http::Router& router);

    // After a correct first factor. Without active TOTP, or in a browser the user trusted,
    // opens the session (amr = first.amr, password level) and sends the browser to
    // first.return_to (or /account). Otherwise stores a pending login, sets its cookie and
    // sends the browser to /signin/second-step. The caller has checked that the account is
    // active and audited the first factor. A database failure is a 503 page.
    http::HttpResponse begin(const http::HttpRequest& req, Visit& visit, const FirstFactor& first);

    // Forgets the browsers `user_id` trusted (two-step verification turned off).
    void forget_trusted_browsers(std::int64_t user_id);

private:
    http::HttpResponse get_second_step(const http::HttpRequest& req);
    http::HttpResponse post_second_step(const http::HttpRequest& req);
    http::HttpResponse form_page(Visit& visit, int status, const std::string& error);
    // Opens the session of a pending login that just passed, once.
    http::HttpResponse passed(const http::HttpRequest& req, Visit& visit, const std::string& token,
                              const auth::PendingLogin& login, bool totp_code, bool trust);
    bool is_trusted_browser(const http::HttpRequest& req, std::int64_t user_id);

    PageKit& kit_;
    TwoStep& two_step_;
    auth::PendingLoginStore pending_;
    auth::TrustedBrowserStore trusted_;
};

}  // namespace idpd::web
