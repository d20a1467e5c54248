#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jose/alg.h"
#include "jose/key_store.h"
#include "oidc/client.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// What an ID token states (OIDC Core §2) beyond iss, aud, iat and exp.
struct IdTokenClaims {
    std::string subject;
    std::int64_t auth_time = 0;
    std::optional<std::string> nonce;
    std::string sid;
    std::string amr;           // space-separated; sent as an array
    std::string access_token;  // for at_hash
    std::string acr{};         // OIDC Core §2; omitted when empty
    // Claims beyond these (oidc/token_claims.h: extra scopes, org_id/org_role, the claims
    // parameter's standard claims); never replacing one above.
    nlohmann::json extra = nlohmann::json::object();
};

// OIDC Core §3.1.3.6: the left half of the hash of the access token's ASCII, base64url, with
// the hash of the signing alg (SHA-256 for RS256, PS256, ES256; SHA-512 for EdDSA/Ed25519, as
// node-oidc-provider and the OIDF conformance suite use).
std::string at_hash(jose::Alg alg, std::string_view access_token);

// Signs an ID token for `client` with its id_token_signed_response_alg. Errors: server_error.
Result<std::string> sign_id_token(jose::KeyStore& keys, const std::string& issuer,
                                  const Client& client, const IdTokenClaims& claims,
                                  std::int64_t now, std::int64_t lifetime);

}  // namespace idpd::oidc
