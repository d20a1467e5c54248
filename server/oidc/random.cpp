#include "oidc/random.h"

#include <stdexcept>

#include <openssl/rand.h>

namespace idpd::oidc {

std::string system_random_bytes(std::size_t n) {
    std::string bytes(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return bytes;
}

std::int64_t unix_seconds(const Clock& clock) {
    return std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch()).count();
}

}  // namespace idpd::oidc
