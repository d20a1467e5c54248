#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/request.h"
#include "oidc/client_auth.h"
#include "oidc/dpop.h"
#include "oidc/token/token_request.h"

namespace idpd::oidc {

// POST /token (RFC 6749 §3.2): parses the form (no repeated parameters), authenticates the
// client, checks grant_type, and hands the request to that grant's handler. Every answer,
// success or error, carries Cache-Control: no-store. A DPoP header is verified here for every
// grant (RFC 9449 §5): a bad proof is invalid_dpop_proof, a good one binds the access token;
// a client registered with dpop_bound_access_tokens must send one.
class TokenEndpoint {
public:
    // `grants`: grant_type → handler, the one table of what /token implements.
    // `url` is the endpoint's absolute URL, the htu DPoP proofs must name.
    TokenEndpoint(ClientAuthenticator& authenticator, DpopVerifier& dpop, std::string url,
                  std::vector<std::pair<std::string, GrantHandler>> grants)
        : authenticator_(authenticator),
          dpop_(dpop),
          url_(std::move(url)),
          grants_(std::move(grants)) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

    // The grant types this endpoint implements, for discovery.
    std::vector<std::string> grant_types() const;

private:
    Result<TokenResponse> respond(const http::HttpRequest& req) const;

    ClientAuthenticator& authenticator_;
    DpopVerifier& dpop_;
    std::string url_;
    std::vector<std::pair<std::string, GrantHandler>> grants_;
};

}  // namespace idpd::oidc
