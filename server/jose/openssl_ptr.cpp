#include "jose/openssl_ptr.h"

#include <array>

#include <openssl/err.h>

namespace idpd::jose {

std::string openssl_error_text() {
    std::string text;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        std::array<char, 256> buffer{};
        ERR_error_string_n(code, buffer.data(), buffer.size());
        if (!text.empty()) {
            text += "; ";
        }
        text += buffer.data();
    }
    return text.empty() ? "no OpenSSL error recorded" : text;
}

}  // namespace idpd::jose
