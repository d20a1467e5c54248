#pragma once

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/client_auth.h"
#include "oidc/options.h"

namespace idpd::oidc {

// POST /introspect (RFC 7662):
// - the caller authenticates as a client (§2.1: the endpoint MUST require authorization);
// - `token` is required; token_type_hint is optional and, with only access tokens so far,
//   changes nothing (§2.1 lets the server ignore it);
// - an active token: {"active":true, scope, client_id, token_type, exp, iat, sub, aud, iss,
//   jti}; anything else, {"active":false} and nothing more (§2.2);
// - a confidential client (a resource server) may introspect any client's tokens; a public
//   client only its own (node-oidc-provider's default policy), else it sees active:false.
class IntrospectionEndpoint {
public:
    IntrospectionEndpoint(const Options& options, ClientAuthenticator& authenticator,
                          AccessTokenReader& reader)
        : options_(options), authenticator_(authenticator), reader_(reader) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    const Options& options_;
    ClientAuthenticator& authenticator_;
    AccessTokenReader& reader_;
};

}  // namespace idpd::oidc
