#pragma once

#include "http/router.h"
#include "web/account_options.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// The account center's Emails tab (web/account_layout.h). The list shows each address with its
// state; the changes pass the step-up guard first:
//   GET  /account/emails           the addresses, add form
//   POST /account/emails/add       adds an unverified address and mails its link (valid
//                                  web.verify_email_ttl, 2 h); an address another account has
//                                  verified is not added and gets a notice instead, while the
//                                  page says the same (no enumeration)
//   POST /account/emails/remove    refused for the last verified address without a verified
//                                  phone (the account would have no way to recover)
//   POST /account/emails/primary   only a verified address; notices go there, the `email` claim
// Resending a link is email_pages.h's POST /account/emails/resend.
class AccountEmailPages {
public:
    AccountEmailPages(PageKit& kit, StepUpGuard& guard, HasVerifiedPhone has_verified_phone)
        : kit_(kit), guard_(guard), has_verified_phone_(std::move(has_verified_phone)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_emails(const http::HttpRequest& req);
    http::HttpResponse post_add(const http::HttpRequest& req);
    http::HttpResponse post_remove(const http::HttpRequest& req);
    http::HttpResponse post_primary(const http::HttpRequest& req);
    http::HttpResponse emails_page(const http::HttpRequest& req, Visit& visit, int status,
                                   const std::string& typed,
                                   const std::vector<std::string>& errors);
    // The signed-in visit past CSRF and the step-up guard, or the answer to send instead.
    std::optional<http::HttpResponse> refuse(const http::HttpRequest& req, Visit& visit,
                                             const std::string& csrf);

    PageKit& kit_;
    StepUpGuard& guard_;
    HasVerifiedPhone has_verified_phone_;
};

}  // namespace idpd::web
