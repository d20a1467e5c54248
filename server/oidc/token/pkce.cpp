#include "oidc/token/pkce.h"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>

#include "jose/base64url.h"
#include "oidc/access_token_store.h"

namespace idpd::oidc {

bool is_code_verifier(std::string_view verifier) {
    return verifier.size() >= 43 && verifier.size() <= 128 &&
           std::ranges::all_of(verifier, [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
           });
}

bool verifier_matches(std::string_view verifier, std::string_view challenge) {
    const std::string computed = jose::base64url_encode(sha256(verifier));
    return computed.size() == challenge.size() &&
           CRYPTO_memcmp(computed.data(), challenge.data(), computed.size()) == 0;
}

}  // namespace idpd::oidc
