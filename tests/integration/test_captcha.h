#pragma once

#include <algorithm>
#include <span>
#include <string>

#include "auth/captcha_image.h"
#include "auth/random_source.h"

namespace idpd::testing_support {

// Zero bytes, always: as the captcha's code source it makes every code the same known one
// (test_captcha_answer()), without any back door in the running code.
class ZeroRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), 0); }
};

// The code of every captcha the test app draws.
inline std::string test_captcha_answer() {
    ZeroRandom zero;
    return auth::captcha_code(zero);
}

}  // namespace idpd::testing_support
