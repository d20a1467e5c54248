#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::auth {

// Browsers a user chose to trust after passing the second step ("trust this browser",
// totp.trust_browser_days): table trusted_browsers (schema 0031), the cookie's 256-bit token
// stored as SHA-256. A trusted browser skips the second step at sign-in, not the password, and
// its sessions stay at the password level. Errors are store::Error.
class TrustedBrowserStore {
public:
    TrustedBrowserStore(store::Database& db, RandomSource& random) : db_(db), random_(random) {}

    // Trusts a new browser of `user_id` until now + `lifetime`; returns the cookie's token.
    store::Result<std::string> trust(std::int64_t user_id, std::chrono::sys_seconds now,
                                     std::chrono::seconds lifetime);

    // Whether `token` is an unexpired trust of `user_id` (another user's token is not).
    store::Result<bool> is_trusted(std::string_view token, std::int64_t user_id,
                                   std::chrono::sys_seconds now);

    // Forgets every browser of `user_id` (two-step verification turned off or reset).
    store::Result<void> forget_all(std::int64_t user_id);

    // Deletes rows that expired before `before`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    RandomSource& random_;
};

}  // namespace idpd::auth
