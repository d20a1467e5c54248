#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"
#include "jose/key_store.h"
#include "oidc/authorize/browser_session.h"
#include "oidc/client.h"
#include "oidc/client_store.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

// What /logout decided, for the pages to carry out.
struct LogoutDecision {
    enum class Action {
        end_session,  // end the browser's session (if any) without asking
        confirm,      // ask first; a confirmed POST of that page ends it
    };
    Action action = Action::confirm;
    std::optional<Client> client;  // named by client_id or by the id_token_hint's aud
    // post_logout_redirect_uri with state added, ready to follow; empty: show the signed-out
    // page instead.
    std::string redirect_to;
    std::string ui_locales;   // as the RP sent it, for the pages' language
    std::string form_action;  // the path the confirmation form posts to: this endpoint
    // The request's protocol parameters, to carry through the confirmation form unchanged (they
    // are checked again when it comes back).
    std::vector<std::pair<std::string, std::string>> carried;
};

// The pages' part of /logout. app/ wires web::LogoutPages here, so oidc/ reads no cookie and
// renders no page.
struct LogoutPages {
    // Carries out `decision` for the browser that sent `req`. end_session: ends its session and
    // its cookie, tells whoever listens for ended sessions, then redirects to redirect_to or
    // shows the signed-out page. confirm: the same when `req` is the confirmation form's POST
    // with its CSRF token, otherwise the page that asks.
    std::function<http::HttpResponse(const http::HttpRequest&, const LogoutDecision&)> respond;
    // A request that cannot be followed: a page naming the problem, never a redirect.
    std::function<http::HttpResponse(const http::HttpRequest&, const Error&)> refuse;

    explicit operator bool() const { return respond && refuse; }
};

// GET and POST /logout, OpenID Connect RP-Initiated Logout 1.0 §2:
// - id_token_hint must be an ID token we signed (its signature checked against our published
//   keys; an expired one is accepted, §2: the RP's session may have outlived it); its aud names
//   the client and its sid the session; with client_id too, they must agree;
// - post_logout_redirect_uri needs a known client and must equal one it registered exactly
//   (§3.1), otherwise the request is refused on a page, never redirected; state is echoed;
// - without a valid id_token_hint whose sid is the browser's session, the user is asked
//   first (§6: another site must not be able to sign the user out).
class LogoutEndpoint {
public:
    LogoutEndpoint(const Options& options, jose::KeyStore& keys, ClientStore& clients,
                   SessionLookup sessions, LogoutPages pages, Clock clock)
        : options_(options),
          keys_(keys),
          clients_(clients),
          sessions_(std::move(sessions)),
          pages_(std::move(pages)),
          clock_(std::move(clock)) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    // What a valid id_token_hint states.
    struct Hint {
        std::vector<std::string> audience;
        std::string sid;  // empty when the token has none
    };

    Result<LogoutDecision> decide(const http::HttpRequest& req) const;
    // Errors: invalid_request (not an ID token of ours), database errors.
    Result<Hint> read_hint(std::string_view token) const;
    // The client the request names, if any. Errors: invalid_request, database errors.
    Result<std::optional<Client>> find_client(const std::optional<std::string>& client_id,
                                              const std::optional<Hint>& hint) const;

    const Options& options_;
    jose::KeyStore& keys_;
    ClientStore& clients_;
    SessionLookup sessions_;
    LogoutPages pages_;
    Clock clock_;
};

}  // namespace idpd::oidc
