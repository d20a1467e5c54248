// - the requested scopes ⊆ the client's allowed scopes (RFC 6749 §3.3, invalid_scope); no scope
//   means all of them;
// - "openid" makes it an OpenID Connect request (OIDC Core §3.1.2.1); without it the flow is
//   plain OAuth and issues no ID token;
// - org:<id> asks for a token limited to one organization: allowed when the client may ask for
//   `orgs` (a client registers the kind of access, not each organization), one per request.
#include <algorithm>

#include "oidc/authorize/checks.h"
#include "oidc/scope.h"

namespace idpd::oidc {

Result<std::vector<std::string>> check_scope(const Client& client,
                                             const AuthorizeRequest& request) {
    auto allowed = client.scopes;
    const auto requested = request.get("scope");
    const bool orgs = std::ranges::find(allowed, "orgs") != allowed.end();
    std::size_t org_scopes = 0;
    if (requested) {
        for (const auto& scope : split_scope(*requested)) {
            if (org_scope_id(scope)) {
                ++org_scopes;
                if (orgs) {
                    allowed.push_back(scope);
                }
            }
        }
    }
    if (org_scopes > 1) {
        return fail(ErrorCode::invalid_scope, "ask for at most one organization (org:<id>)");
    }
    return resolve_scope(requested, allowed);
}

}  // namespace idpd::oidc
