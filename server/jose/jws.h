// jose: JWS compact signing and strict verification, JWKs and JWKS, JWTs, and the encryption of
// signing keys at rest, on OpenSSL 3 EVP. Written by hand: Debian 12 packages no JOSE library for
// C++, and its C ones fall short (libcjose-dev 0.6.2.1 has no EdDSA; libjwt-dev 1.10.2 has
// neither PS256 nor EdDSA), so we keep the small part of JOSE we need here, tested against the
// RFC examples and against the npm `jose` package (tests/unit/jose/interop_test.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jose/error.h"
#include "jose/jwk.h"

namespace idpd::jose {

// Tokens above this are refused before any parsing: ours are a few KiB, and the limit bounds
// the work an attacker can make us do (base64, JSON, hashing) for one bad token.
constexpr std::size_t max_compact_size = std::size_t{64} * 1024;

struct VerifyOptions {
    // RFC 7515 §4.1.11: the "crit" extensions the caller processes itself; a header naming any
    // other is refused (as is "b64", RFC 7797, unless listed here).
    std::vector<std::string> understood_crit;
    // RFC 9449 §4.2: a DPoP proof carries its public key in "jwk". When true, "jwk" must be
    // present and be the very key verifying (same RFC 7638 thumbprint). When false, "jwk" is
    // refused like "jku", "x5u" and "x5c", which are always refused: a token never chooses its
    // own key.
    bool expect_embedded_jwk = false;
    std::size_t max_size = max_compact_size;
};

struct VerifiedJws {
    nlohmann::json header;  // the protected header, already checked
    std::string payload;    // the decoded payload bytes
};

// Signs `payload` with `key` as a compact JWS (RFC 7515 §7.1). The protected header is `header`
// (extra members such as typ) plus "alg" (the key's) and "kid" (the key's, if it has one and
// `header` names none). Errors: invalid_key (a public-only key), rejected_header (`header` is not
// an object or names another alg), malformed (a header string that is not UTF-8), internal.
Result<std::string> sign(const Key& key, std::string_view payload,
                         const nlohmann::json& header = nlohmann::json::object());

// Verifies a compact JWS with the one key the caller chose (by kid, by client, by issuer). The
// header's "alg" must be exactly `key.alg()`, so "none", HS256 keyed with our public key, and any
// other algorithm substitution are refused (RFC 8725 §3.1). Also refused: more than
// `options.max_size` bytes, a segment count other than 3, bad base64url in any segment, a
// header that is not a JSON object or has duplicate names, unknown "crit" entries, key-carrying
// headers (see VerifyOptions), and a signature of the wrong length for the key.
// Errors: malformed, rejected_header, unsupported (crit), invalid_key, bad_signature, internal.
Result<VerifiedJws> verify(std::string_view compact, const Key& key,
                           const VerifyOptions& options = {});

// The protected header of a compact JWS, decoded but NOT verified: only for choosing the key
// (kid) or reading the DPoP "jwk" before verify(). Errors: malformed.
Result<nlohmann::json> peek_header(std::string_view compact,
                                   std::size_t max_size = max_compact_size);

// The public key in a header's "jwk" (RFC 9449 §4.2), for the header's "alg". Refuses private
// members (RFC 9449 §4.3 check 7). Errors: malformed, invalid_key, unsupported.
Result<Key> embedded_jwk(const nlohmann::json& header);

}  // namespace idpd::jose
