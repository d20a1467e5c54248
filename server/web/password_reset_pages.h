#pragma once

#include <string>
#include <vector>

#include "account/password_policy.h"
#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET/POST /forgot-password: a username or email; the answer is the same page whether or not an
// account matched (no enumeration); a match with a verified address gets a single-use link
// (web.password_reset_ttl, at most one per web.email_resend_cooldown).
// GET/POST /reset-password?token=: the new password twice; redeeming the link sets it, ends
// every session of the account, voids its other reset links and mails a notice.
class PasswordResetPages {
public:
    PasswordResetPages(PageKit& kit, const auth::PasswordHasher& hasher,
                       account::PasswordPolicy policy)
        : kit_(kit), hasher_(hasher), policy_(policy) {}

    void add_routes(http::Router& router);

private:
    struct ResetForm {
        std::string token;
        std::vector<std::string> password_errors, confirm_errors;
    };

    http::HttpResponse get_forgot(const http::HttpRequest& req);
    http::HttpResponse post_forgot(const http::HttpRequest& req);
    http::HttpResponse get_reset(const http::HttpRequest& req);
    http::HttpResponse post_reset(const http::HttpRequest& req);
    // `return_to`: where the sign-in page was to send the person (its link back keeps it).
    http::HttpResponse forgot_page(Visit& visit, int status, const std::string& identifier,
                                   const std::string& error, bool sent,
                                   const std::string& return_to);
    http::HttpResponse reset_page(Visit& visit, int status, const ResetForm& form);
    http::HttpResponse invalid_link(Visit& visit);
    // Sends a reset link for the account `identifier` names, when it has a verified address;
    // notes in `event` (password_reset.requested) which account it was and what happened.
    store::Result<void> send_link(const Visit& visit, const std::string& identifier,
                                  audit::Event& event);

    PageKit& kit_;
    const auth::PasswordHasher& hasher_;
    account::PasswordPolicy policy_;
};

}  // namespace idpd::web
