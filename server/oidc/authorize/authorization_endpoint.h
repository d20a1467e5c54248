#pragma once

#include <optional>
#include <string>

#include "auth/consent_store.h"
#include "http/request.h"
#include "oidc/authorization_code_store.h"
#include "oidc/authorize/authorization_response.h"
#include "oidc/authorize/authorize_request.h"
#include "oidc/authorize/browser_session.h"
#include "oidc/authorize/checks.h"
#include "oidc/client_store.h"
#include "oidc/options.h"
#include "oidc/pushed_request_store.h"
#include "oidc/random.h"
#include "oidc/token_claims.h"

namespace idpd::oidc {

// GET and POST /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2): runs the checks of
// authorize/checks.h in order, sends a browser without a fitting session to /signin (with a
// return_to back here) and, for a consent not yet given, to /consent (idem), and answers a
// signed-in one with a single-use code. Every response to the client carries state and iss (RFC
// 9207). With request_uri (RFC 9126 §4) the parameters are those pushed to /par; the pushed request
// is consumed when the code is issued.
class AuthorizationEndpoint {
public:
    AuthorizationEndpoint(const Options& options, ClientStore& clients,
                          AuthorizationCodeStore& codes, PushedRequestStore& pushed,
                          auth::ConsentStore& consents, SessionLookup sessions, Clock clock,
                          RandomBytes random, const TokenClaims& claims)
        : options_(options),
          clients_(clients),
          codes_(codes),
          pushed_(pushed),
          consents_(consents),
          sessions_(std::move(sessions)),
          clock_(std::move(clock)),
          random_(std::move(random)),
          claims_(claims) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

    // The pages that refuse a request which cannot go back to the client; set once, before
    // serving. Without one, a bare English page.
    void set_refusal_page(RefusalPage page) { refusal_page_ = std::move(page); }

private:
    // A request whose client and redirect_uri are trusted, with what the other checks found.
    struct Trusted {
        AuthorizeRequest request;
        Client client;
        std::string redirect_uri;
        std::optional<std::string> pushed;  // the request_uri's reference, when pushed
    };

    // RFC 9126 §4: replaces `request` by the pushed request its request_uri names; returns the
    // reference, or nullopt without request_uri. Errors (shown on a page): invalid_request,
    // invalid_request_uri, database errors.
    Result<std::optional<std::string>> use_pushed(AuthorizeRequest& request,
                                                  std::int64_t now) const;
    // The sign-in redirect, with a return_to that brings the browser back here.
    // Extends a pushed request's life for the sign-in or consent page. Errors:
    // invalid_request_uri (gone meanwhile), database errors.
    Result<void> keep_pushed_for_interaction(const std::string& reference, std::int64_t now) const;
    // The consent page (web/consent_pages.h), with a way back here that records when it asked.
    http::HttpResponse send_to_consent(const http::HttpRequest& req, const Trusted& trusted,
                                       const CheckedRequest& checked, std::int64_t now) const;
    // The verify page (web/verify_pages.h) with level=mfa: a code for this session, or the
    // set-up page for a user without a second factor; then back here.
    http::HttpResponse send_to_step_up(const http::HttpRequest& req, const Trusted& trusted,
                                       std::int64_t now) const;
    http::HttpResponse send_to_sign_in(const http::HttpRequest& req, const Trusted& trusted,
                                       const CheckedRequest& checked, bool signed_in,
                                       std::int64_t now) const;
    // An organization-scoped request (org:<id>) from a user who is not a member of it:
    // access_denied naming the organization. Nullopt when there is nothing to refuse.
    Result<std::optional<Error>> check_org_member(const CheckedRequest& checked,
                                                  std::int64_t user_id) const;
    // Stores a fresh code for `session`; returns its value.
    Result<std::string> issue_code(const Trusted& trusted, const CheckedRequest& checked,
                                   const BrowserSession& session, std::int64_t now) const;

    const Options& options_;
    ClientStore& clients_;
    AuthorizationCodeStore& codes_;
    PushedRequestStore& pushed_;
    auth::ConsentStore& consents_;
    SessionLookup sessions_;
    Clock clock_;
    RandomBytes random_;
    const TokenClaims& claims_;
    RefusalPage refusal_page_;
};

}  // namespace idpd::oidc
