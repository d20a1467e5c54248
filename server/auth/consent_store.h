#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace idpd::auth {

// One user's remembered consent for one client.
struct Consent {
    std::string client_id;
    std::vector<std::string> scopes;  // sorted, no repeats
    std::chrono::sys_seconds granted_at{};
};

// The scopes each user has allowed each client (table `consents`, schema 0016). Written by the
// consent page, read by /authorize, withdrawn from the "authorized apps" page.
class ConsentStore {
public:
    explicit ConsentStore(store::Database& db) : db_(db) {}

    // The consent `user_id` gave `client_id`, if any.
    store::Result<std::optional<Consent>> find(std::int64_t user_id, std::string_view client_id);

    // Adds `scopes` to what the user allowed the client (a grant never narrows an earlier one)
    // and sets granted_at to `now`. Atomic against a concurrent grant for the same pair.
    store::Result<void> grant(std::int64_t user_id, std::string_view client_id,
                              const std::vector<std::string>& scopes, std::chrono::sys_seconds now);

    // Every consent of the user, newest first.
    store::Result<std::vector<Consent>> list(std::int64_t user_id);

    // Forgets the consent; false when there was none.
    store::Result<bool> withdraw(std::int64_t user_id, std::string_view client_id);

private:
    store::Database& db_;
};

// Whether every scope in `wanted` is in `granted`.
bool covers(const std::vector<std::string>& granted, const std::vector<std::string>& wanted);

}  // namespace idpd::auth
