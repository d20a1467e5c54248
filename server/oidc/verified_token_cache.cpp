#include "oidc/verified_token_cache.h"

#include "oidc/access_token_store.h"

namespace idpd::oidc {

std::optional<ActiveAccessToken> VerifiedTokenCache::find(std::string_view token, std::int64_t now,
                                                          const jose::KeySet& keys) {
    const std::string digest = sha256(token);
    std::lock_guard lock(mutex_);
    auto found = young_.find(digest);
    if (found == young_.end()) {
        auto aged = old_.find(digest);
        if (aged == old_.end()) {
            return std::nullopt;
        }
        found = young_.insert_or_assign(digest, std::move(aged->second)).first;
        old_.erase(aged);
    }
    const Entry& entry = found->second;
    if (entry.active.expires_at <= now || keys.find(entry.kid) == nullptr) {
        young_.erase(found);
        return std::nullopt;
    }
    return entry.active;
}

void VerifiedTokenCache::put(std::string_view token, const ActiveAccessToken& active,
                             std::string kid) {
    const std::string digest = sha256(token);
    std::lock_guard lock(mutex_);
    if (young_.size() >= half_) {
        old_ = std::move(young_);
        young_ = Map();
    }
    young_.insert_or_assign(digest, Entry{active, std::move(kid)});
}

}  // namespace idpd::oidc
