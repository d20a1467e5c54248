#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/request.h"
#include "web/page_kit.h"

namespace idpd::web {

// What oidc::LogoutEndpoint decided, in the pages' terms (app/ translates; web/ knows no oidc).
struct LogoutView {
    bool ask = true;          // confirm first; false: end the session at once
    std::string client_name;  // the application asking, when known
    std::string redirect_to;  // where to go afterwards; empty: the signed-out page
    std::string ui_locales;
    std::string form_action;                                   // where the confirmation form posts
    std::vector<std::pair<std::string, std::string>> carried;  // hidden fields for that form
};

// The pages of /logout (RP-Initiated Logout 1.0): the question "Sign out of idpd?" (a POST form
// with the CSRF token), the signed-out page, and the refusal. Ending the session goes through
// PageKit::end_session, so the back-channel logout listener hears of it.
class LogoutPages {
public:
    explicit LogoutPages(PageKit& kit) : kit_(kit) {}

    // Asks, or (asked already: this is the form's POST with its token and confirm=1; or told not
    // to ask) ends the session and redirects to view.redirect_to or shows the signed-out page.
    http::HttpResponse respond(const http::HttpRequest& req, const LogoutView& view);

    // A logout request that cannot be followed: a page, never a redirect. `reason`: the English
    // description of the protocol error, shown as a detail.
    http::HttpResponse refuse(const http::HttpRequest& req, int status, const std::string& reason);

private:
    Visit begin(const http::HttpRequest& req, const std::string& ui_locales);

    PageKit& kit_;
};

}  // namespace idpd::web
