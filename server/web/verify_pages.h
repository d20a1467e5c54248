#pragma once

#include <string>

#include "auth/login_throttle.h"
#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"
#include "web/two_step.h"

namespace idpd::web {

// GET/POST /account/verify?return_to=…[&level=mfa]: a signed-in user proves it is still them,
// then goes back to return_to (a local path). With two-step verification on: a TOTP or recovery
// code, which raises the session to the MFA level (sessions.mfa_at, amr gains otp/mfa) — the
// step-up relying parties ask for through acr, and what StepUpGuard demands. Without it: the
// password (sessions.reauth_at); level=mfa then sends the user to set two-step verification up,
// since a password cannot give that level. Never asks for the password of a TOTP user.
// An account without a password (made through an upstream) and without TOTP asks for a code
// by email instead: POST /account/verify/email-code mails 6 digits (10 minutes, single use,
// throttled, auth/step_up_code_store.h) to its verified address; typing it counts as the
// password would (sessions.reauth_at).
class VerifyPages {
public:
    // `throttle` counts wrong passwords here with the user's sign-in failures, so a stolen
    // session cookie does not make an unthrottled password oracle.
    VerifyPages(PageKit& kit, TwoStep& two_step, const auth::PasswordHasher& hasher,
                auth::LoginThrottle& throttle)
        : kit_(kit), two_step_(two_step), hasher_(hasher), throttle_(throttle) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_verify(const http::HttpRequest& req);
    http::HttpResponse post_verify(const http::HttpRequest& req);
    http::HttpResponse form_page(Visit& visit, int status, bool enrolled,
                                 const std::string& return_to, const std::string& error,
                                 const std::string& notice = {});
    http::HttpResponse verify_code(const http::HttpRequest& req, Visit& visit,
                                   const std::string& return_to, const std::string& code);
    http::HttpResponse verify_password(Visit& visit, const std::string& return_to,
                                       const std::string& password);
    http::HttpResponse post_email_code(const http::HttpRequest& req);
    http::HttpResponse verify_email_code(Visit& visit, const std::string& return_to,
                                         const std::string& code);

    PageKit& kit_;
    TwoStep& two_step_;
    const auth::PasswordHasher& hasher_;
    auth::LoginThrottle& throttle_;
};

}  // namespace idpd::web
