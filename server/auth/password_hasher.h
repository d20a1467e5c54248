#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/argon2_memory.h"
#include "auth/error.h"
#include "auth/random_source.h"

namespace idpd::auth {

// Argon2id cost parameters. Defaults: OWASP Password Storage Cheat Sheet's first Argon2id
// configuration (m = 19 MiB, t = 2, p = 1), about as costly as bcrypt 10 and fit for a
// server hashing on a bounded worker pool. Config: [passwords] argon2_memory_kib,
// argon2_iterations, argon2_parallelism.
struct PasswordHasherOptions {
    std::uint32_t memory_kib = 19 * 1024;  // m, in KiB (1 MiB to 4 GiB)
    std::uint32_t iterations = 2;          // t, passes over the memory (1 to 64)
    std::uint32_t parallelism = 1;         // p, lanes (1 to 16)
};

// Hashes and checks passwords with Argon2id (RFC 9106) and stores them in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, with a 16-byte random salt and a
// 32-byte hash (RFC 9106 §3.1's recommendations). Thread-safe once created, provided the
// RandomSource is (system_random() is). Each hash or verify takes tens of milliseconds of one
// core: call it from a worker thread, never from the HTTP reactor. At most usable_cpus() run at
// once, each in a reused memory block (auth/argon2_memory.h); copies share the blocks.
class PasswordHasher {
public:
    // Checks `options` and makes the dummy string verify_dummy() runs against (no hash is
    // computed). Errors: parameters outside the ranges above (an absurd configuration is a
    // start-up error, not a slow or useless hash).
    static Result<PasswordHasher> create(const PasswordHasherOptions& options,
                                         RandomSource& random);

    // A new PHC string for `password` (any bytes; the caller applies the password policy and
    // Unicode normalisation first). Errors: libargon2 failing (out of memory).
    Result<std::string> hash(std::string_view password) const;

    // Whether `password` matches `phc`. False, never an error, when `phc` is not an Argon2id
    // PHC string. The comparison is constant-time (libargon2's argon2_compare), and the cost
    // is the one recorded in `phc`, so an old hash still verifies after the options change.
    bool verify(std::string_view password, std::string_view phc) const;

    // Spends the time of one verify() against a fixed hash and returns false. Sign-in calls it
    // when no account (or no password) matches, so an unknown username costs what a wrong
    // password costs: no account enumeration by timing (OWASP Authentication Cheat Sheet).
    bool verify_dummy(std::string_view password) const;

    // Whether `phc` was made with other parameters than this hasher's (or is not Argon2id):
    // after a successful verify(), sign-in hashes the password again and stores the new string.
    bool needs_rehash(std::string_view phc) const;

    const PasswordHasherOptions& options() const { return options_; }

private:
    PasswordHasher(const PasswordHasherOptions& options, RandomSource& random)
        : options_(options), random_(&random) {}

    PasswordHasherOptions options_;
    RandomSource* random_;
    std::string dummy_phc_;
    std::shared_ptr<Argon2MemoryPool> memory_;
};

}  // namespace idpd::auth
