#include "oidc/token/client_credentials_grant.h"

#include "oidc/scope.h"

namespace idpd::oidc {

Result<TokenResponse> ClientCredentialsGrant::exchange(const TokenRequest& request) const {
    const Client& client = request.client;
    if (client.is_public()) {
        return fail(ErrorCode::unauthorized_client,
                    "client_credentials is only for confidential clients");
    }
    auto scopes = resolve_scope(request.form.get("scope"), client.scopes);
    if (!scopes) {
        return std::unexpected(scopes.error());
    }
    auto issued = issuer_.issue(client, client.client_id, *scopes);
    if (!issued) {
        return std::unexpected(issued.error());
    }
    TokenResponse response;
    response.access_token = std::move(issued->value);
    response.expires_in = issued->expires_in;
    response.scope = std::move(issued->scope);
    return response;
}

}  // namespace idpd::oidc
