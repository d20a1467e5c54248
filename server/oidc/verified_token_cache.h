#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "jose/jwks.h"
#include "oidc/access_token_reader.h"

namespace idpd::oidc {

// JWT access tokens whose signature and claims were checked recently, so that a token an API
// presents again and again (userinfo, introspection, the account API) costs one signature check,
// not one per request: the ES256 verification was half of /userinfo's CPU.
//
// An entry is keyed by the SHA-256 of the token's exact text (a 64-bit hash could be made to
// collide with a cached token; SHA-256 cannot) and holds what read_jwt() took from the claims and
// the kid that verified it. A hit counts only while the token is unexpired and its kid is still
// among the verification keys, so a retired key retires its cached tokens too. Revocation is not
// cached: the reader still asks the store about the jti on every read.
//
// Bounded: two generations of at most `capacity / 2` entries each; when the young one is full
// the old one is dropped and the young one becomes old (a hit in the old one moves it back).
// Thread-safe.
class VerifiedTokenCache {
public:
    explicit VerifiedTokenCache(std::size_t capacity = 4096) : half_(capacity / 2 + 1) {}

    std::optional<ActiveAccessToken> find(std::string_view token, std::int64_t now,
                                          const jose::KeySet& keys);
    void put(std::string_view token, const ActiveAccessToken& active, std::string kid);

private:
    struct Entry {
        ActiveAccessToken active;
        std::string kid;
    };

    using Map = std::unordered_map<std::string, Entry>;

    std::size_t half_;
    std::mutex mutex_;
    Map young_;
    Map old_;
};

}  // namespace idpd::oidc
