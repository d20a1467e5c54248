#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace idpd::jose {

// Why a token, key or ciphertext was refused, reduced to what a caller can act on. `detail` names
// the exact check for logs; it is never sent to a client (an OAuth layer maps codes to its own
// public error, e.g. invalid_token or invalid_dpop_proof).
enum class ErrorCode {
    malformed,          // not well-formed: segments, base64url, JSON, sizes, member types
    unsupported,        // an alg, kty, crv or `crit` extension we do not implement
    rejected_header,    // a header we refuse on principle (alg mismatch, jwk/jku/x5u/x5c)
    bad_signature,      // the signature does not verify under the chosen key
    unknown_key,        // no key in the set has the token's kid
    invalid_key,        // key material is wrong: bad JWK, private members, weak or broken key
    invalid_claims,     // typ, iss, aud or a required claim is missing or not what was expected
    expired,            // exp has passed (beyond the leeway), or iat is older than allowed
    not_yet_valid,      // nbf or iat lies in the future (beyond the leeway)
    decryption_failed,  // a sealed key did not open: wrong master key, kid, or tampering
    internal,           // OpenSSL failed on valid input (allocation, missing provider)
};

struct Error {
    ErrorCode code;
    std::string detail;  // for logs only
};

std::string_view code_name(ErrorCode code);

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string detail) {
    return std::unexpected(Error{code, std::move(detail)});
}

}  // namespace idpd::jose
