#include "oidc/bearer.h"

#include <cctype>

#include <openssl/crypto.h>

#include "oidc/access_token_store.h"

namespace idpd::oidc {

std::optional<std::string> bearer_token(const http::HttpRequest& req) {
    auto header = req.headers.get("Authorization");
    if (!header || header->size() <= 7) {
        return std::nullopt;
    }
    std::string scheme = header->substr(0, 7);
    for (char& c : scheme) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme != "bearer ") {
        return std::nullopt;
    }
    std::string token = header->substr(7);
    while (!token.empty() && token.front() == ' ') {
        token.erase(0, 1);
    }
    if (token.empty()) {
        return std::nullopt;
    }
    return token;
}

bool secrets_equal(std::string_view a, std::string_view b) {
    const std::string ha = sha256(a);
    const std::string hb = sha256(b);
    return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

}  // namespace idpd::oidc
