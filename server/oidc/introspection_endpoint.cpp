#include "oidc/introspection_endpoint.h"

#include <nlohmann/json.hpp>

namespace idpd::oidc {
namespace {

http::HttpResponse no_store_json(const nlohmann::json& body) {
    auto response = http::HttpResponse::json(200, body.dump());
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

}  // namespace

http::HttpResponse IntrospectionEndpoint::handle(const http::HttpRequest& req) const {
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
    const nlohmann::json inactive{{"active", false}};
    if (!*active || (client->is_public() && (*active)->client_id != client->client_id)) {
        return no_store_json(inactive);
    }
    const ActiveAccessToken& found = **active;
    nlohmann::json body{{"active", true},         {"client_id", found.client_id},
                        {"token_type", "Bearer"}, {"exp", found.expires_at},
                        {"iat", found.issued_at}, {"sub", found.subject},
                        {"iss", options_.issuer}};
    if (!found.scope.empty()) {
        body["scope"] = found.scope;
    }
    if (!found.audience.is_null()) {
        body["aud"] = found.audience;
    }
    if (!found.jti.empty()) {
        body["jti"] = found.jti;
    }
    return no_store_json(body);
}

}  // namespace idpd::oidc
