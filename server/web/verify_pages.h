#pragma once

#include <string>

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
class VerifyPages {
public:
    VerifyPages(PageKit& kit, TwoStep& two_step, const auth::PasswordHasher& hasher)
        : kit_(kit), two_step_(two_step), hasher_(hasher) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_verify(const http::HttpRequest& req);
    http::HttpResponse post_verify(const http::HttpRequest& req);
    http::HttpResponse form_page(Visit& visit, int status, bool enrolled,
                                 const std::string& return_to, const std::string& error);
    http::HttpResponse verify_code(const http::HttpRequest& req, Visit& visit,
                                   const std::string& return_to, const std::string& code);
    http::HttpResponse verify_password(Visit& visit, const std::string& return_to,
                                       const std::string& password);

    PageKit& kit_;
    TwoStep& two_step_;
    const auth::PasswordHasher& hasher_;
};

}  // namespace idpd::web
