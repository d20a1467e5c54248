#pragma once

#include "federation/registry.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET /account: the signed-in landing page (profile, emails, upstream bindings, sessions);
// POST /account/sessions/:id/revoke. Binding and unbinding are federation_pages.h routes.
class AccountPages {
public:
    AccountPages(PageKit& kit, const federation::Registry& upstreams)
        : kit_(kit), upstreams_(upstreams) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_account(const http::HttpRequest& req);
    http::HttpResponse post_revoke_session(const http::HttpRequest& req);
    // The bindings panel: each binding with its unbind form, and a bind button per
    // configured upstream the account has no identity of. False when the database failed.
    bool add_bindings(Visit& visit, mstch::map& data);

    PageKit& kit_;
    const federation::Registry& upstreams_;
};

}  // namespace idpd::web
