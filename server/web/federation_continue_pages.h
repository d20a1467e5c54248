#pragma once

#include <optional>
#include <string>
#include <vector>

#include "account/email_address.h"
#include "account/username_rules.h"
#include "federation/pending_identity_store.h"
#include "federation/registry.h"
#include "http/router.h"
#include "web/federation_pages.h"
#include "web/page_kit.h"

namespace idpd::web {

// GET/POST /federation/continue: an upstream identity bound to no account (its token in the
// idpd_fed_pending cookie). Signed out, the page offers a new account (username and email
// prefilled from upstream; an address the upstream marks verified counts as verified) or a
// link to /signin that comes back here. Signed in, it asks to confirm the link to that account.
// Never links by a matching email: only a signed-in user's confirmation binds.
class FederationContinuePages {
public:
    FederationContinuePages(PageKit& kit, const federation::Registry& upstreams,
                            FederationPages& federation)
        : kit_(kit), upstreams_(upstreams), federation_(federation) {}

    void add_routes(http::Router& router);

private:
    struct ContinueForm {
        std::string username, email;
        bool accept_terms = false;
        std::vector<std::string> username_errors, email_errors, terms_errors;
    };

    http::HttpResponse get_continue(const http::HttpRequest& req);
    http::HttpResponse post_continue(const http::HttpRequest& req);
    http::HttpResponse continue_page(Visit& visit, int status,
                                     const federation::PendingIdentity& pending,
                                     const ContinueForm& form);
    http::HttpResponse link(Visit& visit, const std::string& token,
                            const federation::PendingIdentity& pending);
    http::HttpResponse create(const http::HttpRequest& req, Visit& visit, const std::string& token,
                              const federation::PendingIdentity& pending, ContinueForm& form);
    // The typed username and email, checked; each problem goes beside its field.
    std::optional<account::Username> read_username(Visit& visit, ContinueForm& form);
    std::optional<account::EmailAddress> read_email(Visit& visit, ContinueForm& form);
    // The pending identity of this browser, or the page that says it is gone.
    std::optional<federation::PendingIdentity> pending_of(const http::HttpRequest& req,
                                                          std::string& token);
    std::string label_of(const federation::UpstreamIdentity& identity) const;

    PageKit& kit_;
    const federation::Registry& upstreams_;
    FederationPages& federation_;
};

}  // namespace idpd::web
