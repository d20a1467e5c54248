#pragma once

#include <string_view>

namespace idpd::oidc {

// RFC 7636 §4.1: code_verifier = 43*128 unreserved characters ([A-Za-z0-9-._~]).
bool is_code_verifier(std::string_view verifier);

// RFC 7636 §4.6, S256: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, compared in
// constant time.
bool verifier_matches(std::string_view verifier, std::string_view challenge);

}  // namespace idpd::oidc
