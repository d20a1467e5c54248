#include "oidc/token/client_credentials_grant.h"

#include <algorithm>

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
    // openid asks about a user, and this grant has none (its sub is the client): refused when
    // asked for, left out of the default. So /userinfo never reads a client as a user.
    if (std::ranges::find(*scopes, "openid") != scopes->end()) {
        if (request.form.get("scope")) {
            return fail(ErrorCode::invalid_scope,
                        "openid needs a user: use the authorization code flow");
        }
        std::erase(*scopes, "openid");
    }
    auto issued = issuer_.issue(client, client.client_id, *scopes, request.dpop_jkt);
    if (!issued) {
        return std::unexpected(issued.error());
    }
    TokenResponse response;
    response.access_token = std::move(issued->value);
    response.token_type = issued->token_type;
    response.expires_in = issued->expires_in;
    response.scope = std::move(issued->scope);
    return response;
}

}  // namespace idpd::oidc
