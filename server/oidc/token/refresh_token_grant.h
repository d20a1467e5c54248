#pragma once

#include "jose/key_store.h"
#include "oidc/access_token_store.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/refresh_token_store.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token/token_request.h"
#include "oidc/token_claims.h"
#include "oidc/userinfo_endpoint.h"

namespace idpd::oidc {

// grant_type=refresh_token (RFC 6749 §6, OIDC Core §12):
// - the token exists, belongs to this client (else invalid_grant, saying no more), is unexpired
//   (idle and absolute) and its family is not revoked;
// - `scope` may narrow the family's scope for this access token, never widen it (invalid_scope);
//   the new refresh token keeps the family's scope (§6: "MUST be identical");
// - every use rotates: a new refresh token, the old one spent by an UPDATE under the family's
//   row lock. Spent again within refresh_token_reuse_grace: a fresh pair from the same family
//   (we keep only hashes, so "the same successor" cannot be sent again). Spent again later: the
//   family and every access token issued in it are revoked, and the answer is invalid_grant
//   (RFC 9700 §4.14.2, reuse detection);
// - a public client's family bound to a DPoP key needs a proof with that key (RFC 9449 §5);
// - with openid in scope, a new ID token with the original auth_time, sid and amr (§12.2);
// - a user who no longer exists or is disabled ends the family (when `users` is given).
class RefreshTokenGrant {
public:
    RefreshTokenGrant(const Options& options, jose::KeyStore& keys, RefreshTokenStore& store,
                      AccessTokenStore& tokens, AccessTokenIssuer& issuer,
                      RefreshTokenIssuer& refresh_issuer, Clock clock, UserProfileLookup users,
                      const TokenClaims& claims)
        : options_(options),
          keys_(keys),
          store_(store),
          tokens_(tokens),
          issuer_(issuer),
          refresh_issuer_(refresh_issuer),
          clock_(std::move(clock)),
          users_(std::move(users)),
          claims_(claims) {}

    // Errors: invalid_request, invalid_grant, invalid_scope, invalid_dpop_proof, and those of
    // AccessTokenIssuer::issue.
    Result<TokenResponse> exchange(const TokenRequest& request) const;

private:
    // The token if this client may spend it now. Errors: invalid_grant, invalid_dpop_proof.
    Result<RefreshToken> usable(const TokenRequest& request, std::string_view value,
                                std::int64_t now) const;

    // Ends the family (invalid_grant) when its user is gone or disabled.
    Result<void> user_alive(const RefreshFamily& family) const;

    const Options& options_;
    jose::KeyStore& keys_;
    RefreshTokenStore& store_;
    AccessTokenStore& tokens_;
    AccessTokenIssuer& issuer_;
    RefreshTokenIssuer& refresh_issuer_;
    Clock clock_;
    UserProfileLookup users_;
    const TokenClaims& claims_;  // extra scopes and organizations, as at the code exchange
};

}  // namespace idpd::oidc
