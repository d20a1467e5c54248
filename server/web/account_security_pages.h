#pragma once

#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// The account center's Security tab (web/account_layout.h):
//   GET  /account/security              recent sign-ins (auth/signin_history_store.h), the
//                                       signed-in devices, recent security events (audit log),
//                                       and the way to two-step verification
//   POST /account/sessions/:id/revoke   ends one of the account's sessions
class AccountSecurityPages {
public:
    explicit AccountSecurityPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_security(const http::HttpRequest& req);
    http::HttpResponse post_revoke_session(const http::HttpRequest& req);
    // The session rows of the table; false when the database failed.
    bool add_sessions(Visit& visit, mstch::map& data);
    bool add_history(Visit& visit, mstch::map& data);
    bool add_events(Visit& visit, mstch::map& data);

    PageKit& kit_;
};

}  // namespace idpd::web
