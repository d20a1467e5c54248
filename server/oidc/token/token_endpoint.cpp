#include "oidc/token/token_endpoint.h"

namespace idpd::oidc {

std::vector<std::string> TokenEndpoint::grant_types() const {
    std::vector<std::string> names;
    for (const auto& [name, handler] : grants_) {
        names.push_back(name);
    }
    return names;
}

Result<TokenResponse> TokenEndpoint::respond(const http::HttpRequest& req) const {
    auto form = FormParams::parse(req);
    if (!form) {
        return std::unexpected(form.error());
    }
    // Authenticate first (RFC 6749 §3.2.1), so an unauthenticated caller learns nothing about
    // which grants or scopes exist.
    auto client = authenticator_.authenticate(req, *form);
    if (!client) {
        return std::unexpected(client.error());
    }
    auto grant_type = form->get("grant_type");
    if (!grant_type) {
        return fail(ErrorCode::invalid_request, "grant_type is missing");
    }
    for (const auto& [name, handler] : grants_) {
        if (name != *grant_type) {
            continue;
        }
        if (!client->allows_grant(name)) {
            return fail(ErrorCode::unauthorized_client,
                        "this client is not registered for grant_type " + name);
        }
        auto proof = dpop_.verify(req, url_);
        if (!proof) {
            return std::unexpected(proof.error());
        }
        if (!*proof && client->dpop_bound_access_tokens) {
            return fail(ErrorCode::invalid_dpop_proof,
                        "this client must send a DPoP proof (dpop_bound_access_tokens)");
        }
        std::optional<std::string> jkt;
        if (*proof) {
            jkt = (*proof)->jkt;
        }
        return handler(TokenRequest{req, *form, *client, std::move(jkt)});
    }
    return fail(ErrorCode::unsupported_grant_type,
                "grant_type " + *grant_type + " is not supported");
}

http::HttpResponse TokenEndpoint::handle(const http::HttpRequest& req) const {
    auto response = respond(req);
    if (!response) {
        return error_response(req, response.error());
    }
    return to_http(*response);
}

}  // namespace idpd::oidc
