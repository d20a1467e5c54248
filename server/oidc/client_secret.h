#pragma once

#include <array>
#include <string>
#include <string_view>

#include "jose/key_encryption.h"

namespace idpd::oidc {

// Client secrets are stored as HMAC-SHA-256(secret) under a key derived from the master key.
// Our secrets are 256-bit random values, so a keyed fast hash is enough: guessing is hopeless,
// and a stolen database without the master key does not let anyone test candidates. A password
// hash (Argon2id) would cost every machine-to-machine token request tens of milliseconds.
class ClientSecretHasher {
public:
    // Derives the HMAC key: HMAC-SHA-256(master, "idpd client secret v1"), so the master key
    // itself never keys anything but AES-GCM.
    explicit ClientSecretHasher(const jose::MasterKey& master);

    ClientSecretHasher(const ClientSecretHasher&) = delete;
    ClientSecretHasher& operator=(const ClientSecretHasher&) = delete;
    ~ClientSecretHasher();

    // 32 bytes.
    std::string hash(std::string_view secret) const;

    // Whether `secret` hashes to `stored`, compared in constant time.
    bool matches(std::string_view secret, std::string_view stored) const;

private:
    std::array<unsigned char, 32> key_{};
};

// A new client secret: 32 random bytes as base64url (43 characters), from `random_bytes`.
std::string new_client_secret(const std::string& random_bytes);

}  // namespace idpd::oidc
