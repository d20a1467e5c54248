#pragma once

#include "jose/key_store.h"
#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/session_client_store.h"
#include "oidc/subject_mapper.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token/token_request.h"
#include "oidc/token_claims.h"

namespace idpd::oidc {

// grant_type=authorization_code (RFC 6749 §4.1.3, OIDC Core §3.1.3):
// - the code exists, is unexpired, was issued to this client, and redirect_uri equals the one
//   it was issued for; code_verifier matches its S256 challenge (RFC 7636 §4.6);
// - single use, decided by one atomic UPDATE; a replayed code is invalid_grant and revokes the
//   access token issued from it (RFC 6749 §4.1.2: "SHOULD revoke");
// - with openid in scope, an ID token signed with the client's id_token_signed_response_alg;
// - the client is recorded as holding tokens of the code's browser session (session_clients),
//   so the end of that session reaches it (Back-Channel Logout 1.0 §2.7).
// - with offline_access granted and the refresh_token grant allowed, a refresh token that
//   starts a new family (OIDC Core §11);
// - a DPoP proof binds the access token, and a public client's refresh token (RFC 9449 §5).
class AuthorizationCodeGrant {
public:
    AuthorizationCodeGrant(const Options& options, jose::KeyStore& keys,
                           AuthorizationCodeStore& codes, AccessTokenStore& tokens,
                           AccessTokenIssuer& issuer, RefreshTokenIssuer& refresh_issuer,
                           SubjectMapper& subjects, Clock clock,
                           SessionClientStore& session_clients, const TokenClaims& claims)
        : options_(options),
          keys_(keys),
          codes_(codes),
          tokens_(tokens),
          issuer_(issuer),
          refresh_issuer_(refresh_issuer),
          subjects_(subjects),
          clock_(std::move(clock)),
          session_clients_(session_clients),
          claims_(claims) {}

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
    SubjectMapper& subjects_;  // the sub this client sees (public or pairwise)
    Clock clock_;
    SessionClientStore& session_clients_;
    const TokenClaims& claims_;  // extra scopes, organizations, the claims parameter
};

}  // namespace idpd::oidc
