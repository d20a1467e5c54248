#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jose/error.h"
#include "jose/jwk.h"
#include "jose/jwks.h"

namespace idpd::jose {

// The explicit "typ" of each kind of JWT we issue or accept (RFC 8725 §3.11): an ID token can then
// never pass as an access token, a logout token or a DPoP proof, nor the reverse.
enum class TokenType {
    jwt,         // "JWT": ID tokens (OIDC Core §2), userinfo and introspection responses
    at_jwt,      // "at+jwt": access tokens (RFC 9068 §2.1)
    logout_jwt,  // "logout+jwt": back-channel logout tokens (OIDC Back-Channel Logout §2.4)
    dpop_jwt,    // "dpop+jwt": DPoP proofs (RFC 9449 §4.2)
};

// The typ as we write it in a header.
std::string_view typ_value(TokenType type);

// Signs `claims` (a JSON object) with `key` as a compact JWT whose header is {alg, kid, typ} plus
// `extra_header` (a DPoP proof's "jwk", say). Errors: malformed (claims not an object, or not
// UTF-8), and those of jose::sign.
Result<std::string> sign_jwt(const Key& key, TokenType type, const nlohmann::json& claims,
                             const nlohmann::json& extra_header = nlohmann::json::object());

// What a caller requires of a JWT beyond its signature. Defaults suit a token we issued.
struct JwtRules {
    // The typ must match (RFC 7515 §4.1.9: case-insensitive, "application/" implied). For
    // TokenType::jwt a missing typ is accepted too, since RFC 7519 §5.1 makes it optional and
    // most issuers omit it in ID tokens; for the explicit types it is required.
    TokenType type = TokenType::jwt;
    // When set, "iss" must be exactly this (OIDC Core §3.1.3.7 step 2).
    std::optional<std::string> issuer;
    // When set, "aud" (a string, or an array of strings) must contain it (RFC 7519 §4.1.3).
    std::optional<std::string> audience;
    // Claims that must be present, whatever their value ("sub", "jti", "htm", ...).
    std::vector<std::string> required_claims;
    // RFC 9068 §2.2 and OIDC Core §2 require exp; a DPoP proof has none (it uses max_age).
    bool require_exp = true;
    // Clock skew allowed on exp, nbf and iat (RFC 7519 §4.1.4: "usually no more than a few
    // minutes"). One minute covers NTP-synced replicas and RPs.
    std::chrono::seconds leeway{60};
    // When set, "iat" is required and may be no older than this (RFC 9449 §11.1: a DPoP proof is
    // accepted only within a short window of its creation).
    std::optional<std::chrono::seconds> max_age;
    // Passed to jose::verify (crit extensions; the DPoP embedded jwk).
    std::vector<std::string> understood_crit;
    bool expect_embedded_jwk = false;
};

struct VerifiedJwt {
    nlohmann::json header;
    nlohmann::json claims;
};

// Verifies `token` with the key of `keys` whose kid is the header's kid; a token without kid is
// accepted only when `keys` holds exactly one key. Then checks the claims against `rules` at time
// `now` (injected: this never reads the clock). Nested JWTs ("cty": "JWT") are refused.
// Errors: unknown_key, invalid_claims, expired, not_yet_valid, and those of jose::verify.
Result<VerifiedJwt> verify_jwt(std::string_view token, const KeySet& keys, const JwtRules& rules,
                               std::chrono::system_clock::time_point now);

// The same with the one key the caller chose (a client's key, the key of a DPoP proof's jwk).
Result<VerifiedJwt> verify_jwt(std::string_view token, const Key& key, const JwtRules& rules,
                               std::chrono::system_clock::time_point now);

}  // namespace idpd::jose
