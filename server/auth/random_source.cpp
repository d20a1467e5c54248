#include "auth/random_source.h"

#include <climits>
#include <stdexcept>

#include <openssl/rand.h>

namespace idpd::auth {
namespace {

class OpensslRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        while (!out.empty()) {
            const std::size_t chunk = std::min<std::size_t>(out.size(), INT_MAX);
            if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
                throw std::runtime_error("RAND_bytes failed");
            }
            out = out.subspan(chunk);
        }
    }
};

}  // namespace

RandomSource& system_random() {
    static OpensslRandom random;
    return random;
}

}  // namespace idpd::auth
