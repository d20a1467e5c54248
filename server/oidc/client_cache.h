#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "oidc/client.h"

namespace idpd::oidc {

// Clients as read from the database, remembered for `ttl` ([oidc] client_cache_ttl, 5 s by
// default): every token, introspection and authorization request reads its client, and on
// MariaDB that read is a round trip (docs/performance.md). A change made through this
// process's ClientStore (registration management) forgets the entry at once; a change made by
// another process (the `idpd client` commands, another server) is seen within `ttl` — the
// same bound as signing keys' reload_interval. Only clients that exist are remembered, so
// requests naming random client_ids cannot fill it; at most `capacity` entries.
class ClientCache {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit ClientCache(std::chrono::milliseconds ttl,
                         Clock clock = std::chrono::steady_clock::now, std::size_t capacity = 4096)
        : ttl_(ttl), clock_(std::move(clock)), capacity_(capacity) {}

    bool enabled() const { return ttl_.count() > 0; }

    std::optional<Client> find(std::string_view client_id);
    void remember(const Client& client);
    void forget(std::string_view client_id);

private:
    struct Entry {
        Client client;
        std::chrono::steady_clock::time_point expires;
    };

    struct Hash {
        using is_transparent = void;

        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };

    std::chrono::milliseconds ttl_;
    Clock clock_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

}  // namespace idpd::oidc
