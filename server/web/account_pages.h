#pragma once

#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET /account: the signed-in landing page (profile, emails, sessions);
// POST /account/sessions/:id/revoke.
class AccountPages {
public:
    explicit AccountPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_account(const http::HttpRequest& req);
    http::HttpResponse post_revoke_session(const http::HttpRequest& req);

    PageKit& kit_;
};

}  // namespace idpd::web
