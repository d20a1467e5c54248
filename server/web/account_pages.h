#pragma once

#include "federation/registry.h"
#include "http/router.h"
#include "web/account_options.h"
#include "web/page_kit.h"

namespace idpd::web {

// The account center's Overview and Third-party accounts tabs (web/account_layout.h):
//   GET  /account           user ID, username, display name, registration time, plan, balance
//   POST /account/username  rename (username rules, unique, once per username_change_cooldown)
//   POST /account/name      change the display name
//   GET  /account/bindings  the upstream identities bound to the account, bind and unbind
//                           (the bind and unbind routes are federation_pages.h's)
class AccountPages {
public:
    AccountPages(PageKit& kit, const federation::Registry& upstreams, AccountOptions options)
        : kit_(kit), upstreams_(upstreams), options_(options) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_account(const http::HttpRequest& req);
    http::HttpResponse post_username(const http::HttpRequest& req);
    http::HttpResponse post_name(const http::HttpRequest& req);
    http::HttpResponse get_bindings(const http::HttpRequest& req);
    // The overview with the forms' problems (`username_errors`, `name_errors`) and `status`.
    http::HttpResponse overview(const http::HttpRequest& req, Visit& visit, int status,
                                const std::vector<std::string>& username_errors,
                                const std::vector<std::string>& name_errors);
    // The plan and balance of the personal billing account; false when the database failed.
    bool add_billing(Visit& visit, mstch::map& data);
    // The avatar, its forms and an upload's refusal (?avatar_error=); false: database failed.
    bool add_avatar(const http::HttpRequest& req, Visit& visit, mstch::map& data);
    // The bindings panel: each binding with its unbind form, and a bind button per
    // configured upstream the account has no identity of. False when the database failed.
    bool add_bindings(Visit& visit, mstch::map& data);

    PageKit& kit_;
    const federation::Registry& upstreams_;
    AccountOptions options_;
};

}  // namespace idpd::web
