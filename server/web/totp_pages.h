#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "web/page_kit.h"
#include "web/second_step_pages.h"
#include "web/step_up_guard.h"
#include "web/two_step.h"

namespace idpd::web {

// Two-step verification on the account pages, under /account/security/totp:
//   GET  /account/security/totp                 status: set up, or turn off / new recovery codes
//   POST /account/security/totp/start           a fresh pending secret (replaces a pending one)
//   GET  /account/security/totp/setup           the QR code, the secret as text, a code field
//   GET  /account/security/totp/qr.svg          the pending secret's otpauth:// URI as a QR code
//   POST /account/security/totp/activate        one valid code activates; shows recovery codes
//   POST /account/security/totp/disable         a current TOTP or recovery code turns it off
//   POST /account/security/totp/recovery-codes  a new set (the old one is void), behind the guard
// Recovery codes are shown once, in the answer to the POST that made them (never stored in a
// readable form, so no later GET could show them).
class TotpPages {
public:
    TotpPages(PageKit& kit, TwoStep& two_step, StepUpGuard& guard, SecondStepPages& second_step)
        : kit_(kit), two_step_(two_step), guard_(guard), second_step_(second_step) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_status(const http::HttpRequest& req);
    http::HttpResponse post_start(const http::HttpRequest& req);
    http::HttpResponse get_setup(const http::HttpRequest& req);
    http::HttpResponse get_qr(const http::HttpRequest& req);
    http::HttpResponse post_activate(const http::HttpRequest& req);
    http::HttpResponse post_disable(const http::HttpRequest& req);
    http::HttpResponse post_recovery_codes(const http::HttpRequest& req);
    // The setup page for the pending secret, with an error beside the code field.
    http::HttpResponse setup_page(Visit& visit, int status, const std::string& return_to,
                                  const std::string& error);
    http::HttpResponse codes_page(Visit& visit, const std::vector<std::string>& codes,
                                  const std::string& return_to);
    // The visit when signed in and, for a POST, with a good CSRF token; else the response.
    std::optional<http::HttpResponse> refuse(const http::HttpRequest& req, Visit& visit, bool post);
    std::string account_label(const Visit& visit) const;

    PageKit& kit_;
    TwoStep& two_step_;
    StepUpGuard& guard_;
    SecondStepPages& second_step_;
};

}  // namespace idpd::web
