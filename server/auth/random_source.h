// auth: proving who a user is — password hashing, and later sign-in sessions, TOTP, recovery
// codes, step-up and rate limits. Knows no HTTP and no page.
#pragma once

#include <cstdint>
#include <span>

namespace idpd::auth {

// Where secrets (salts, tokens) get their randomness. Injected, so tests are deterministic
// (style H.7); production uses system_random().
class RandomSource {
public:
    virtual ~RandomSource() = default;

    // Fills `out` with unpredictable bytes. Throws std::runtime_error only when the system
    // generator itself fails (it never should once seeded): no secret is better than a weak one.
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

// The process-wide cryptographic generator (OpenSSL's RAND_bytes); thread-safe.
RandomSource& system_random();

}  // namespace idpd::auth
