#include "oidc/token/access_token_issuer.h"

#include <nlohmann/json.hpp>

#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/client_auth.h"
#include "oidc/scope.h"
#include "oidc/token_claims.h"

namespace idpd::oidc {

Result<IssuedAccessToken> AccessTokenIssuer::issue(const Client& client, const std::string& subject,
                                                   const std::vector<std::string>& scopes,
                                                   const std::optional<std::string>& jkt,
                                                   const UserAuthentication* authn,
                                                   const nlohmann::json* extra) {
    const std::int64_t now = unix_seconds(clock_);
    const std::int64_t exp = now + options_.access_token_ttl.count();
    const std::string audience =
        options_.access_token_audience.empty() ? options_.issuer : options_.access_token_audience;
    IssuedAccessToken issued;
    issued.expires_in = options_.access_token_ttl;
    issued.scope = join_scope(scopes);
    issued.expires_at = exp;
    if (jkt) {
        issued.token_type = "DPoP";
    }
    if (client.access_token_format == AccessTokenFormat::opaque) {
        issued.value = jose::base64url_encode(random_(32));
        StoredAccessToken stored{
            client.client_id, subject, issued.scope, audience, now, exp, false, jkt};
        if (authn != nullptr) {
            stored.authn = *authn;
        }
        if (auto added = tokens_.add(issued.value, stored); !added) {
            return std::unexpected(database_error(added.error()));
        }
        return issued;
    }
    auto key = keys_.signing_key(client.access_token_alg);
    if (!key) {
        return fail(ErrorCode::server_error, "cannot sign the access token",
                    std::string(jose::code_name(key.error().code)) + ": " + key.error().detail);
    }
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti are required; scope per §2.2.3.
    issued.jti = jose::base64url_encode(random_(16));
    nlohmann::json claims{{"iss", options_.issuer},
                          {"sub", subject},
                          {"aud", audience},
                          {"client_id", client.client_id},
                          {"iat", now},
                          {"exp", exp},
                          {"jti", issued.jti}};
    if (!issued.scope.empty()) {
        claims["scope"] = issued.scope;
    }
    if (jkt) {
        claims["cnf"] = {{"jkt", *jkt}};  // RFC 9449 §6.1
    }
    if (authn != nullptr) {
        add_authentication_claims(claims, *authn);
    }
    if (extra != nullptr) {
        merge_claims(claims, *extra);
    }
    auto token = jose::sign_jwt(*key, jose::TokenType::at_jwt, claims);
    if (!token) {
        return fail(ErrorCode::server_error, "cannot sign the access token",
                    std::string(jose::code_name(token.error().code)) + ": " + token.error().detail);
    }
    issued.value = std::move(*token);
    return issued;
}

}  // namespace idpd::oidc
