#include "oidc/revocation_endpoint.h"

namespace idpd::oidc {

http::HttpResponse RevocationEndpoint::handle(const http::HttpRequest& req) const {
    auto form = FormParams::parse(req);
    if (!form) {
        return error_response(req, form.error());
    }
    auto client = authenticator_.authenticate(req, *form);
    if (!client) {
        return error_response(req, client.error());
    }
    auto token = form->get("token");
    if (!token) {
        return error_response(req, Error{ErrorCode::invalid_request, "token is missing", {}});
    }
    auto active = reader_.read(*token);
    if (!active) {
        return error_response(req, active.error());
    }
    http::HttpResponse ok{200, {}, {}};
    ok.headers.set("Cache-Control", "no-store");
    if (!*active) {
        return ok;
    }
    const ActiveAccessToken& found = **active;
    if (found.client_id != client->client_id) {
        return error_response(
            req, Error{ErrorCode::unauthorized_client, "the token was not issued to this client",
                       "client " + client->client_id + " tried to revoke a token of " +
                           found.client_id});
    }
    auto revoked = found.format == AccessTokenFormat::opaque
                       ? tokens_.revoke(*token)
                       : tokens_.revoke_jti(found.jti, found.client_id, found.expires_at);
    if (!revoked) {
        return error_response(req, database_error(revoked.error()));
    }
    return ok;
}

}  // namespace idpd::oidc
