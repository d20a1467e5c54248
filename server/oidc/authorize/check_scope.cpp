// - the requested scopes ⊆ the client's allowed scopes (RFC 6749 §3.3, invalid_scope); no scope
//   means all of them;
// - "openid" makes it an OpenID Connect request (OIDC Core §3.1.2.1); without it the flow is
//   plain OAuth and issues no ID token.
#include "oidc/authorize/checks.h"
#include "oidc/scope.h"

namespace idpd::oidc {

Result<std::vector<std::string>> check_scope(const Client& client,
                                             const AuthorizeRequest& request) {
    return resolve_scope(request.get("scope"), client.scopes);
}

}  // namespace idpd::oidc
