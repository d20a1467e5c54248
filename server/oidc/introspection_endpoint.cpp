#include "oidc/introspection_endpoint.h"

#include <nlohmann/json.hpp>

#include "oidc/scope.h"
#include "oidc/token_query.h"

namespace idpd::oidc {
namespace {

http::HttpResponse no_store_json(const nlohmann::json& body) {
    auto response = http::HttpResponse::json(200, body.dump());
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

bool active_refresh(const RefreshToken& token, std::int64_t now) {
    return !token.used_at && !token.family.revoked && token.expires_at > now &&
           token.family.expires_at > now;
}

}  // namespace

http::HttpResponse IntrospectionEndpoint::refresh_body(const TokenQuery& query) const {
    const RefreshToken& token = *query.refresh;
    const RefreshFamily& family = token.family;
    if (!active_refresh(token, unix_seconds(clock_)) ||
        (query.client.is_public() && family.client_id != query.client.client_id)) {
        return no_store_json({{"active", false}});
    }
    nlohmann::json body{{"active", true},          {"client_id", family.client_id},
                        {"exp", token.expires_at}, {"iat", token.issued_at},
                        {"sub", family.subject},   {"iss", options_.issuer},
                        {"scope", family.scope}};
    if (family.jkt) {
        body["cnf"] = {{"jkt", *family.jkt}};
    }
    return no_store_json(body);
}

Result<nlohmann::json> IntrospectionEndpoint::extra_claims(const ActiveAccessToken& token) const {
    // A token without a sign-in (client credentials) speaks for no user.
    if (token.authn.auth_time == 0) {
        return nlohmann::json::object();
    }
    auto user = subjects_.user_of(token.subject);
    if (!user) {
        return std::unexpected(user.error());
    }
    if (!*user) {
        return nlohmann::json::object();
    }
    return claims_.extra(**user, split_scope(token.scope), ClaimTarget::introspection,
                         TokenClaims::OrgGone::omit);
}

http::HttpResponse IntrospectionEndpoint::handle(const http::HttpRequest& req) const {
    auto query = read_token_query(req, authenticator_, reader_, refresh_tokens_);
    if (!query) {
        return error_response(req, query.error());
    }
    if (query->refresh) {
        return refresh_body(*query);
    }
    const nlohmann::json inactive{{"active", false}};
    // API keys belong to no client: only a confidential client (a resource server) asks.
    if (!query->found && api_keys_ && query->token.starts_with("idk_") &&
        !query->client.is_public()) {
        auto key = api_keys_(query->token);
        if (!key) {
            return error_response(req, key.error());
        }
        return no_store_json(*key ? **key : inactive);
    }
    // A public client may only ask about its own tokens; anything else looks inactive.
    if (!query->found ||
        (query->client.is_public() && query->found->client_id != query->client.client_id)) {
        return no_store_json(inactive);
    }
    const ActiveAccessToken& found = *query->found;
    nlohmann::json body{{"active", true},
                        {"client_id", found.client_id},
                        {"token_type", found.jkt.empty() ? "Bearer" : "DPoP"},
                        {"exp", found.expires_at},
                        {"iat", found.issued_at},
                        {"sub", found.subject},
                        {"iss", options_.issuer}};
    if (!found.jkt.empty()) {
        body["cnf"] = {{"jkt", found.jkt}};  // RFC 9449 §6.2
    }
    if (!found.scope.empty()) {
        body["scope"] = found.scope;
    }
    if (!found.audience.is_null()) {
        body["aud"] = found.audience;
    }
    if (!found.jti.empty()) {
        body["jti"] = found.jti;
    }
    // How the user authenticated, for APIs that demand a level (RFC 9470 §6.2).
    add_authentication_claims(body, found.authn);
    auto extra = extra_claims(found);
    if (!extra) {
        return error_response(req, extra.error());
    }
    merge_claims(body, *extra);
    return no_store_json(body);
}

}  // namespace idpd::oidc
