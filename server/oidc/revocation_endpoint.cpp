#include "oidc/revocation_endpoint.h"

#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token_query.h"

namespace idpd::oidc {

http::HttpResponse RevocationEndpoint::handle(const http::HttpRequest& req) const {
    auto query = read_token_query(req, authenticator_, reader_, refresh_tokens_);
    if (!query) {
        return error_response(req, query.error());
    }
    http::HttpResponse ok{200, {}, {}};
    ok.headers.set("Cache-Control", "no-store");
    if (query->refresh && !query->refresh->family.revoked) {
        const RefreshFamily& family = query->refresh->family;
        if (family.client_id != query->client.client_id) {
            return error_response(
                req,
                Error{ErrorCode::unauthorized_client, "the token was not issued to this client",
                      "client " + query->client.client_id + " tried to revoke a refresh token of " +
                          family.client_id});
        }
        auto revoked = revoke_family(refresh_tokens_, tokens_, family.family_id, family.client_id);
        if (!revoked) {
            return error_response(req, revoked.error());
        }
        return ok;
    }
    if (!query->found) {
        return ok;  // RFC 7009 §2.2: an unknown or already invalid token is not an error
    }
    const ActiveAccessToken& found = *query->found;
    const Client& client = query->client;
    if (found.client_id != client.client_id) {
        return error_response(
            req,
            Error{ErrorCode::unauthorized_client, "the token was not issued to this client",
                  "client " + client.client_id + " tried to revoke a token of " + found.client_id});
    }
    auto revoked = found.format == AccessTokenFormat::opaque
                       ? tokens_.revoke(query->token)
                       : tokens_.revoke_jti(found.jti, found.client_id, found.expires_at);
    if (!revoked) {
        return error_response(req, database_error(revoked.error()));
    }
    return ok;
}

}  // namespace idpd::oidc
