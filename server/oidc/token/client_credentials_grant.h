#pragma once

#include "oidc/token/access_token_issuer.h"
#include "oidc/token/token_request.h"

namespace idpd::oidc {

// grant_type=client_credentials (RFC 6749 §4.4):
// - only a confidential client may use it (§4.4: "MUST only be used by confidential clients");
// - scope: requested ⊆ the client's allowed scopes, default all of them (§3.3), never openid
//   (there is no user);
// - the token's subject is the client itself (RFC 9068 §2.2: sub = client_id), no refresh
//   token (§4.4.3: "SHOULD NOT be included").
class ClientCredentialsGrant {
public:
    explicit ClientCredentialsGrant(AccessTokenIssuer& issuer) : issuer_(issuer) {}

    // Errors: unauthorized_client, invalid_scope, and those of AccessTokenIssuer::issue.
    Result<TokenResponse> exchange(const TokenRequest& request) const;

private:
    AccessTokenIssuer& issuer_;
};

}  // namespace idpd::oidc
