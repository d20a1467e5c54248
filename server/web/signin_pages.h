#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "account/user.h"
#include "auth/login_throttle.h"
#include "auth/password_hasher.h"
#include "federation/registry.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/second_step_pages.h"

namespace idpd::web {

// GET/POST /signin: username or uniquely verified email + password, "keep me signed in";
// ?login_hint= prefills, ?prompt=login asks a signed-in user again. POST /signout.
// Failures are throttled per account and per client IP (auth/login_throttle.h) and every
// attempt is written to the audit log.
class SigninPages {
public:
    SigninPages(PageKit& kit, const auth::PasswordHasher& hasher, auth::LoginThrottle& throttle,
                const federation::Registry& upstreams, SecondStepPages& second_step)
        : kit_(kit),
          hasher_(hasher),
          throttle_(throttle),
          upstreams_(upstreams),
          second_step_(second_step) {}

    void add_routes(http::Router& router);

private:
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
    http::HttpResponse get_signin(const http::HttpRequest& req);
    http::HttpResponse post_signin(const http::HttpRequest& req);
    http::HttpResponse post_signout(const http::HttpRequest& req);
    // The password check of a well-formed form, throttled and audited.
    http::HttpResponse sign_in(const http::HttpRequest& req, Visit& visit, SigninForm& form,
                               const std::string& password);
    // A 429 page when this address has failed too often: it says when to try again and
    // nothing about accounts. Nullopt when the address may try.
    std::optional<http::HttpResponse> check_ip(const http::HttpRequest& req, Visit& visit,
                                               const SigninForm& form);
    // Success: resets the account's failures, upgrades an old hash, hands over to the second
    // step (SecondStepPages::begin), which opens the session now or after a second factor.
    http::HttpResponse signed_in(const http::HttpRequest& req, Visit& visit, const SigninForm& form,
                                 const std::string& password, const account::User& user,
                                 const std::vector<auth::ThrottleSubject>& subjects);
    void record_failure(const http::HttpRequest& req, const SigninForm& form,
                        const std::vector<auth::ThrottleSubject>& subjects,
                        std::optional<std::int64_t> user_id, std::string_view reason);

    PageKit& kit_;
    const auth::PasswordHasher& hasher_;
    auth::LoginThrottle& throttle_;
    const federation::Registry& upstreams_;  // the "continue with …" buttons
    SecondStepPages& second_step_;
};

}  // namespace idpd::web
