#pragma once

#include <string>
#include <string_view>

#include "jose/key_encryption.h"

struct evp_mac_ctx_st;

namespace idpd::jose {

// HMAC-SHA-256 under a key derived from the master key for one purpose:
// key = HMAC-SHA-256(master, label), so the master key itself never keys anything but AES-GCM
// and every purpose ("idpd client secret v1", "idpd api key v1", …) has its own key. Used for
// high-entropy secrets (client secrets, API keys, recovery codes), where a keyed fast hash is
// enough: guessing is hopeless, and a stolen database without the master key lets no one test
// candidates.
//
// The keyed HMAC state is made once and copied per call: OpenSSL 3's one-shot HMAC() looks
// the MAC and the digest up by name in its provider store every time, which cost more than the
// hash itself on every token request (docs/performance.md). Thread-safe: calls only read the
// template.
class KeyedHash {
public:
    KeyedHash(const MasterKey& master, std::string_view label);
    ~KeyedHash();

    KeyedHash(const KeyedHash&) = delete;
    KeyedHash& operator=(const KeyedHash&) = delete;

    // 32 bytes. Throws std::bad_alloc when OpenSSL cannot allocate.
    std::string operator()(std::string_view message) const;

    // Whether `message` hashes to `stored`, compared in constant time.
    bool matches(std::string_view message, std::string_view stored) const;

private:
    evp_mac_ctx_st* keyed_ = nullptr;  // never used directly: only duplicated
};

}  // namespace idpd::jose
