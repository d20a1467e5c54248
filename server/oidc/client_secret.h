#pragma once

#include <string>
#include <string_view>

#include "jose/key_encryption.h"
#include "jose/keyed_hash.h"

namespace idpd::oidc {

// Client secrets are stored as HMAC-SHA-256(secret) under a key derived from the master key
// (jose/keyed_hash.h, label "idpd client secret v1"). Our secrets are 256-bit random values, so
// a keyed fast hash is enough; a password hash (Argon2id) would cost every machine-to-machine
// token request tens of milliseconds.
class ClientSecretHasher {
public:
    explicit ClientSecretHasher(const jose::MasterKey& master);

    // 32 bytes.
    std::string hash(std::string_view secret) const;

    // Whether `secret` hashes to `stored`, compared in constant time.
    bool matches(std::string_view secret, std::string_view stored) const;

private:
    jose::KeyedHash hash_;
};

// A new client secret: 32 random bytes as base64url (43 characters), from `random_bytes`.
std::string new_client_secret(const std::string& random_bytes);

}  // namespace idpd::oidc
