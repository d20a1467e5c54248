#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace idpd::oidc {

// One client that was issued tokens in one browser session (OIDC Back-Channel Logout 1.0 §2.7:
// the OP must know whom to tell when the session ends).
struct SessionClient {
    std::string sid;        // the browser session, as the ID token's sid states it
    std::string client_id;  // the client the tokens were issued to
    std::string subject;    // the sub its ID token carried
    std::int64_t created_at = 0;
};

// Table session_clients (schema 0013). Errors are store::Error: the database's own.
class SessionClientStore {
public:
    explicit SessionClientStore(store::Database& db) : db_(db) {}

    // Records that `entry.client_id` holds tokens of session `entry.sid`. Idempotent: a second
    // redemption in the same session keeps the first row.
    store::Result<void> add(const SessionClient& entry);

    // The clients of session `sid`, each removed as it is returned: a row comes back to exactly
    // one caller even when two processes end the same session at once (the DELETE's
    // affected-row count decides), so each client is told once.
    store::Result<std::vector<SessionClient>> take(std::string_view sid);

    // Deletes rows recorded before `before` (no session can still be that old); returns how
    // many.
    store::Result<std::uint64_t> delete_created_before(std::int64_t before);

private:
    store::Database& db_;
};

}  // namespace idpd::oidc
