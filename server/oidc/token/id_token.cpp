#include "oidc/token/id_token.h"

#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/scope.h"
#include "oidc/token_claims.h"

namespace idpd::oidc {

std::string at_hash(jose::Alg alg, std::string_view access_token) {
    std::string digest;
    const auto* data = reinterpret_cast<const unsigned char*>(access_token.data());
    if (alg == jose::Alg::eddsa) {
        digest.resize(SHA512_DIGEST_LENGTH);
        SHA512(data, access_token.size(), reinterpret_cast<unsigned char*>(digest.data()));
    } else {
        digest.resize(SHA256_DIGEST_LENGTH);
        SHA256(data, access_token.size(), reinterpret_cast<unsigned char*>(digest.data()));
    }
    return jose::base64url_encode(std::string_view(digest).substr(0, digest.size() / 2));
}

Result<std::string> sign_id_token(jose::KeyStore& keys, const std::string& issuer,
                                  const Client& client, const IdTokenClaims& claims,
                                  std::int64_t now, std::int64_t lifetime) {
    auto key = keys.signing_key(client.id_token_signed_response_alg);
    if (!key) {
        return fail(ErrorCode::server_error, "cannot sign the ID token",
                    std::string(jose::code_name(key.error().code)) + ": " + key.error().detail);
    }
    // OIDC Core §2 and §3.1.3.6; auth_time always, since max_age may have asked for it.
    nlohmann::json body{
        {"iss", issuer},
        {"sub", claims.subject},
        {"aud", client.client_id},
        {"exp", now + lifetime},
        {"iat", now},
        {"auth_time", claims.auth_time},
        {"at_hash", at_hash(client.id_token_signed_response_alg, claims.access_token)}};
    if (claims.nonce) {
        body["nonce"] = *claims.nonce;
    }
    if (!claims.sid.empty()) {
        body["sid"] = claims.sid;
    }
    if (!claims.amr.empty()) {
        body["amr"] = split_scope(claims.amr);
    }
    if (!claims.acr.empty()) {
        body["acr"] = claims.acr;
    }
    merge_claims(body, claims.extra);
    auto token = jose::sign_jwt(*key, jose::TokenType::jwt, body);
    if (!token) {
        return fail(ErrorCode::server_error, "cannot sign the ID token",
                    std::string(jose::code_name(token.error().code)) + ": " + token.error().detail);
    }
    return std::move(*token);
}

}  // namespace idpd::oidc
