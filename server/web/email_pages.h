#pragma once

#include "auth/password_hasher.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// Email verification: GET /verify-email?token= shows what the link confirms and a button (a
// GET never changes state, and mail scanners that prefetch links do not press buttons);
// POST /verify-email redeems the link once. POST /account/emails/resend sends a fresh link to an
// unverified address of the signed-in user, at most once per web.email_resend_cooldown.
class EmailPages {
public:
    explicit EmailPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_verify(const http::HttpRequest& req);
    http::HttpResponse post_verify(const http::HttpRequest& req);
    http::HttpResponse post_resend(const http::HttpRequest& req);
    http::HttpResponse result_page(Visit& visit, int status, bool ok, const std::string& message);

    PageKit& kit_;
};

}  // namespace idpd::web
