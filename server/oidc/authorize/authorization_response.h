#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"
#include "oidc/authorize/checks.h"
#include "oidc/errors.h"

namespace idpd::oidc {

using ResponseParams = std::vector<std::pair<std::string, std::string>>;

// The authorization response to the client, success or error, with Cache-Control: no-store:
// - query: 303 to redirect_uri with the parameters added to its query (RFC 6749 §4.1.2);
// - form_post: a page with a form that POSTs them to redirect_uri when the user presses its
//   button (no script: the CSP forbids it), with its own CSP whose form-action allows only the
//   redirect URI's origin (OAuth 2.0 Form Post Response Mode §2).
http::HttpResponse authorization_response(ResponseMode mode, const std::string& redirect_uri,
                                          const ResponseParams& params);

// What a refusal page says: the HTTP status and the OAuth error with its public description.
struct Refusal {
    int status = 400;
    std::string code;         // "invalid_request"
    std::string description;  // sanitised, for the RP's developer
};

// Renders a refusal page for a person (app/ wires web/'s, in the person's language). Must
// keep `refusal.status`.
using RefusalPage = std::function<http::HttpResponse(const http::HttpRequest&, const Refusal&)>;

// An error that must not be redirected (unknown client, bad redirect_uri, malformed request
// before the client is known): a page naming the problem, status from the error table, never
// cached. Rendered by `page` when given, else a bare English page.
http::HttpResponse authorize_error_page(const http::HttpRequest& req, const Error& error,
                                        const RefusalPage& page = {});

}  // namespace idpd::oidc
