#include "web/csrf.h"

#include <openssl/crypto.h>

#include "auth/session_store.h"

namespace idpd::web {

std::string csrf_token(std::string_view cookie_secret) {
    std::string input = "idpd-csrf";
    input.push_back('\0');
    input.append(cookie_secret);
    return auth::to_hex(auth::sha256(input));
}

bool csrf_token_matches(std::string_view submitted, std::string_view cookie_secret) {
    if (submitted.empty() || cookie_secret.empty()) {
        return false;
    }
    const std::string expected = csrf_token(cookie_secret);
    if (submitted.size() != expected.size()) {
        return false;  // the length is public: every token has 64 hex digits
    }
    return CRYPTO_memcmp(submitted.data(), expected.data(), expected.size()) == 0;
}

std::string origin_of(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    auto path = url.find_first_of("/?#", scheme + 3);
    return std::string(url.substr(0, path));
}

bool same_origin_request(const http::HttpRequest& req, std::string_view issuer_origin) {
    if (auto origin = req.headers.get("Origin")) {
        return *origin == issuer_origin;
    }
    if (auto referer = req.headers.get("Referer")) {
        return origin_of(*referer) == issuer_origin;
    }
    return true;
}

}  // namespace idpd::web
