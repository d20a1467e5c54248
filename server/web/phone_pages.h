#pragma once

#include <optional>
#include <string>

#include "auth/login_throttle.h"
#include "http/router.h"
#include "phone/e164.h"
#include "phone/phone_flows.h"
#include "web/page_kit.h"
#include "web/second_step_pages.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The account's phone number (templates/phones.mustache):
//   GET  /account/phones              the bound number, the bind/change form, unbind
//   POST /account/phones/code         sends a six-digit code to the number typed (E.164)
//   POST /account/phones/verify       binds it with the code (replacing the old number)
//   POST /account/phones/unbind       refused when no password and no verified email remain
// Every POST passes the step-up guard first. A number another account holds gets the same
// "code sent" answer and no SMS (no enumeration); the code just never matches.
//
// Signing in with a text message (templates/signin_sms.mustache):
//   GET/POST /signin/sms              the number; a code goes out only when an active account
//                                     holds it, the page is the same either way
//   POST /signin/sms/verify           the code → SecondStepPages::begin with amr "sms", so
//                                     two-step verification still applies
// Code requests are throttled per number, account and address (phone/code_store.h); wrong
// codes count as sign-in failures of the number and the address (auth/login_throttle.h).
class PhonePages {
public:
    PhonePages(PageKit& kit, StepUpGuard& guard, auth::LoginThrottle& throttle,
               SecondStepPages& second_step)
        : kit_(kit),
          guard_(guard),
          throttle_(throttle),
          second_step_(second_step),
          flows_(kit.db(), kit.random()) {}

    void add_routes(http::Router& router);

private:
    // What the account page shows besides the stored state.
    struct AccountForm {
        std::string phone;  // as typed (the bind form) or the E.164 a code went to
        bool code_sent = false;
        std::string phone_error;
        std::string code_error;
        std::string form_error;
        std::string notice;
    };

    struct SigninForm {
        std::string phone;  // as typed, or E.164 once accepted
        std::string return_to;
        bool remember = false;
        bool code_step = false;
        std::string phone_error;
        std::string form_error;
    };

    http::HttpResponse get_phones(const http::HttpRequest& req);
    http::HttpResponse post_code(const http::HttpRequest& req);
    http::HttpResponse post_verify(const http::HttpRequest& req);
    http::HttpResponse post_unbind(const http::HttpRequest& req);
    http::HttpResponse phones_page(Visit& visit, int status, const AccountForm& form);
    // The signed-in, CSRF-checked, recently verified visit of a POST, or the answer to send.
    std::optional<http::HttpResponse> gate(const http::HttpRequest& req, Visit& visit);

    http::HttpResponse get_signin(const http::HttpRequest& req);
    http::HttpResponse post_signin(const http::HttpRequest& req);
    http::HttpResponse post_signin_verify(const http::HttpRequest& req);
    http::HttpResponse signin_page(Visit& visit, int status, const SigninForm& form);
    http::HttpResponse throttled_page(Visit& visit, std::chrono::seconds wait);
    // The localized message of a malformed number.
    std::string number_error(const Visit& visit, phone::NumberProblem problem) const;
    phone::SmsText sms_text(const Visit& visit) const;

    PageKit& kit_;
    StepUpGuard& guard_;
    auth::LoginThrottle& throttle_;
    SecondStepPages& second_step_;
    phone::PhoneFlows flows_;
};

}  // namespace idpd::web
