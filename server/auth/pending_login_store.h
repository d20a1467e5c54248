#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::auth {

// What the first factor established, waiting for the second step.
struct PendingLogin {
    std::int64_t user_id = 0;
    std::string amr;        // RFC 8176 methods of the first factor: "pwd", or an upstream's
    std::string return_to;  // a checked local path, or empty
    bool persistent = false;
    std::chrono::sys_seconds created_at{};
    std::chrono::sys_seconds expires_at{};
};

// The server-side state between a correct first factor and the second step (table
// pending_logins, schema 0031): the browser holds only a 256-bit token in a cookie, the
// database its SHA-256. Nothing here is a session: it grants nothing but the right to try a
// second factor until it expires or is finished. Errors are store::Error.
class PendingLoginStore {
public:
    PendingLoginStore(store::Database& db, RandomSource& random) : db_(db), random_(random) {}

    // Stores `login` (its created_at/expires_at are set from `now` and `ttl`) and returns the
    // cookie's token: 64 hex digits.
    store::Result<std::string> create(PendingLogin login, std::chrono::sys_seconds now,
                                      std::chrono::seconds ttl);

    // The unfinished, unexpired pending login of `token`. Errors: not_found (unknown,
    // malformed, expired or finished).
    store::Result<PendingLogin> find(std::string_view token, std::chrono::sys_seconds now);

    // Finishes it, once: true for the one caller whose UPDATE marked it used, false when it
    // was already finished or has expired (a second tab, a replayed form).
    store::Result<bool> finish(std::string_view token, std::chrono::sys_seconds now);

    // Deletes rows that expired before `before`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    RandomSource& random_;
};

// A fresh 256-bit token as 64 hex digits, and the stored form of one (nullopt when `token` is
// not 64 lower-case hex digits). Shared with TrustedBrowserStore.
std::string new_hex_token(RandomSource& random);
std::optional<store::Blob> hex_token_hash(std::string_view token);

}  // namespace idpd::auth
