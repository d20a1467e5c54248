#pragma once

#include "jose/key_store.h"
#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token/token_request.h"

namespace idpd::oidc {

// grant_type=authorization_code (RFC 6749 §4.1.3, OIDC Core §3.1.3):
// - the code exists, is unexpired, was issued to this client, and redirect_uri equals the one
//   it was issued for; code_verifier matches its S256 challenge (RFC 7636 §4.6);
// - single use, decided by one atomic UPDATE; a replayed code is invalid_grant and revokes the
//   access token issued from it (RFC 6749 §4.1.2: "SHOULD revoke");
// - with openid in scope, an ID token signed with the client's id_token_signed_response_alg;
// - with offline_access granted and the refresh_token grant allowed, a refresh token that
//   starts a new family (OIDC Core §11);
// - a DPoP proof binds the access token, and a public client's refresh token (RFC 9449 §5).
class AuthorizationCodeGrant {
public:
    AuthorizationCodeGrant(const Options& options, jose::KeyStore& keys,
                           AuthorizationCodeStore& codes, AccessTokenStore& tokens,
                           AccessTokenIssuer& issuer, RefreshTokenIssuer& refresh_issuer,
                           Clock clock)
        : options_(options),
          keys_(keys),
          codes_(codes),
          tokens_(tokens),
          issuer_(issuer),
          refresh_issuer_(refresh_issuer),
          clock_(std::move(clock)) {}

    // Errors: invalid_request, invalid_grant, and those of AccessTokenIssuer::issue.
    Result<TokenResponse> exchange(const TokenRequest& request) const;

private:
    // Revokes what the replayed code issued; logs, never fails the (already failing) request.
    void revoke_issued(const std::string& code_value, const std::string& client_id) const;

    const Options& options_;
    jose::KeyStore& keys_;
    AuthorizationCodeStore& codes_;
    AccessTokenStore& tokens_;
    AccessTokenIssuer& issuer_;
    RefreshTokenIssuer& refresh_issuer_;
    Clock clock_;
};

}  // namespace idpd::oidc
