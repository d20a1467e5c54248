#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/client.h"
#include "oidc/client_cache.h"
#include "store/database.h"

namespace idpd::oidc {

// The registered clients (table `clients`, schema 0003). With a `cache_ttl`, find() answers
// from a ClientCache (oidc/client_cache.h) and this store's own changes forget the entry.
class ClientStore {
public:
    explicit ClientStore(store::Database& db, std::chrono::milliseconds cache_ttl = {})
        : db_(db), cache_(cache_ttl) {}

    // Adds `client` as given (its secret already hashed, created_at set). Errors: conflict
    // (the client_id is taken), and the database's errors.
    store::Result<void> create(const Client& client);

    // The client with this exact client_id (case-sensitive). Errors: not_found, and the
    // database's errors.
    store::Result<Client> find(std::string_view client_id);

    // Every client, by client_id.
    store::Result<std::vector<Client>> list();

    // Replaces every field of the stored client `client.client_id` except created_at (the
    // secret hash included, as given). Errors: not_found.
    store::Result<void> update(const Client& client, std::int64_t now);

    // Replaces the stored secret hash. Errors: not_found.
    store::Result<void> set_secret_hash(std::string_view client_id, const std::string& secret_hash,
                                        std::int64_t now);

    // Deletes the client and its opaque access tokens. Errors: not_found.
    store::Result<void> remove(std::string_view client_id);

private:
    store::Database& db_;
    ClientCache cache_;
};

}  // namespace idpd::oidc
