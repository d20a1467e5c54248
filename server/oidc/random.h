#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace idpd::oidc {

// The wall clock, injected so tests can move time (the same type as jose::Clock).
using Clock = std::function<std::chrono::system_clock::time_point()>;

// `n` bytes from a CSPRNG, injected so tests can fix token values. Used for client secrets,
// opaque tokens and jti values.
using RandomBytes = std::function<std::string(std::size_t n)>;

// OpenSSL's RAND_bytes. Throws std::runtime_error if the CSPRNG fails (then no token can be
// issued safely; the request ends as a 500).
std::string system_random_bytes(std::size_t n);

// Seconds since the epoch of `clock`'s now.
std::int64_t unix_seconds(const Clock& clock);

}  // namespace idpd::oidc
