#include "oidc/client_cache.h"

namespace idpd::oidc {

std::optional<Client> ClientCache::find(std::string_view client_id) {
    if (!enabled()) {
        return std::nullopt;
    }
    const auto now = clock_();
    std::lock_guard lock(mutex_);
    auto it = entries_.find(client_id);
    if (it == entries_.end()) {
        return std::nullopt;
    }
    if (it->second.expires <= now) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second.client;
}

void ClientCache::remember(const Client& client) {
    if (!enabled()) {
        return;
    }
    const auto expires = clock_() + ttl_;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(client.client_id)) {
        entries_.clear();  // more live clients than the bound: start over rather than track age
    }
    entries_.insert_or_assign(client.client_id, Entry{client, expires});
}

void ClientCache::forget(std::string_view client_id) {
    if (!enabled()) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(client_id); it != entries_.end()) {
        entries_.erase(it);
    }
}

}  // namespace idpd::oidc
