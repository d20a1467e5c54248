#pragma once

#include <array>
#include <string>
#include <string_view>

#include "jose/error.h"

namespace idpd::jose {

// The AES-256 key that signing keys are encrypted under at rest (design §3 "Keys"). It comes from
// config or the environment, never from the database that holds what it protects.
class MasterKey {
public:
    static constexpr std::size_t size = 32;

    // Exactly 32 bytes. Errors: invalid_key.
    static Result<MasterKey> from_bytes(std::string_view bytes);
    // The 32 bytes written as unpadded base64url (43 characters), the form config holds.
    // Errors: invalid_key.
    static Result<MasterKey> from_base64url(std::string_view text);

    MasterKey(const MasterKey&) = delete;
    MasterKey& operator=(const MasterKey&) = delete;
    MasterKey(MasterKey&& other) noexcept;
    MasterKey& operator=(MasterKey&& other) noexcept;
    // Wipes the key bytes.
    ~MasterKey();

    const unsigned char* data() const { return bytes_.data(); }

private:
    MasterKey() = default;

    std::array<unsigned char, size> bytes_{};
};

// Encrypts `plaintext` (a PKCS#8 private key) with AES-256-GCM under `master`, bound to `kid`.
// The result is: version byte 0x01 || 96-bit random IV || ciphertext || 128-bit tag, and the AAD
// is the version byte followed by the kid, so a sealed key copied onto another key's row, or
// given another version byte, fails to open. A fresh IV comes from OpenSSL's CSPRNG for every
// call; it is not injected, since a repeated IV under one GCM key gives the key away
// (NIST SP 800-38D §8). Errors: internal.
Result<std::string> seal(const MasterKey& master, std::string_view kid, std::string_view plaintext);

// The plaintext that seal() sealed under `master` for `kid`. Errors: malformed (too short, or an
// unknown version byte), decryption_failed (another master key or kid, or any byte changed).
Result<std::string> open(const MasterKey& master, std::string_view kid, std::string_view sealed);

}  // namespace idpd::jose
