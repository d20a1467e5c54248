#pragma once

#include <optional>
#include <string_view>

namespace idpd::jose {

// The JWS algorithms we sign and verify with (RFC 7518 §3.1, RFC 8037 §3.1). No HMAC: every key
// here is asymmetric, so a verifier never holds a secret that could also sign. No "none".
enum class Alg {
    rs256,  // RSASSA-PKCS1-v1_5 with SHA-256: the OIDC default, what every RP understands
    ps256,  // RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (RFC 7518 §3.5)
    es256,  // ECDSA P-256 with SHA-256, signature as raw R||S (RFC 7518 §3.4)
    eddsa,  // Ed25519 (RFC 8037 §3.1)
};

// The registered name, exactly as it appears in a header's "alg" and a JWK's "alg".
std::string_view alg_name(Alg alg);

// The Alg registered under `name`; names compare case-sensitively (RFC 7515 §4.1.1).
std::optional<Alg> parse_alg(std::string_view name);

}  // namespace idpd::jose
