#pragma once

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/client_auth.h"
#include "oidc/refresh_token_store.h"

namespace idpd::oidc {

// POST /revoke (RFC 7009):
// - the caller authenticates as a client (§2.1);
// - `token` is required; token_type_hint is optional and may be ignored (§2.1);
// - a token issued to another client is refused with unauthorized_client (§2.1: the server
//   "verifies whether the token was issued to the client making the revocation request");
// - an unknown, expired or already revoked token answers 200 (§2.2: "invalid tokens do not
//   cause an error response");
// - an opaque token is marked revoked; a JWT's jti goes on the revocation list until its exp,
//   which introspection consults (verifiers that check JWTs offline cannot see it);
// - a refresh token revokes its whole family and every access token issued in it (§2.1: "the
//   authorization server SHOULD also invalidate all access tokens based on the same
//   authorization grant").
class RevocationEndpoint {
public:
    RevocationEndpoint(ClientAuthenticator& authenticator, AccessTokenReader& reader,
                       AccessTokenStore& tokens, RefreshTokenStore& refresh_tokens)
        : authenticator_(authenticator),
          reader_(reader),
          tokens_(tokens),
          refresh_tokens_(refresh_tokens) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    ClientAuthenticator& authenticator_;
    AccessTokenReader& reader_;
    AccessTokenStore& tokens_;
    RefreshTokenStore& refresh_tokens_;
};

}  // namespace idpd::oidc
