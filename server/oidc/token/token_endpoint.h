#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/request.h"
#include "oidc/client_auth.h"
#include "oidc/token/token_request.h"

namespace idpd::oidc {

// POST /token (RFC 6749 §3.2): parses the form (no repeated parameters), authenticates the
// client, checks grant_type, and hands the request to that grant's handler. Every answer,
// success or error, carries Cache-Control: no-store.
class TokenEndpoint {
public:
    // `grants`: grant_type → handler, the one table of what /token implements.
    TokenEndpoint(ClientAuthenticator& authenticator,
                  std::vector<std::pair<std::string, GrantHandler>> grants)
        : authenticator_(authenticator), grants_(std::move(grants)) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

    // The grant types this endpoint implements, for discovery.
    std::vector<std::string> grant_types() const;

private:
    Result<TokenResponse> respond(const http::HttpRequest& req) const;

    ClientAuthenticator& authenticator_;
    std::vector<std::pair<std::string, GrantHandler>> grants_;
};

}  // namespace idpd::oidc
