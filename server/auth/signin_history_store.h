#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/database.h"

namespace idpd::auth {

// One sign-in attempt as the account's owner sees it on the Security tab.
struct SigninAttempt {
    std::int64_t user_id = 0;
    std::chrono::sys_seconds occurred_at{};
    std::string ip;
    std::string device;  // "Chrome · Windows": the User-Agent reduced to browser and OS
    std::string method;  // "password", "password+totp", "github", …
    bool success = false;
};

// The recent sign-ins of each account (table signin_history, schema 0026). Only the newest
// `keep` per account are kept: record() trims the older ones in the same transaction.
class SigninHistoryStore {
public:
    static constexpr std::size_t keep = 50;

    explicit SigninHistoryStore(store::Database& db) : db_(db) {}

    // Appends one attempt and trims the account's history to `keep`. Errors: the database's.
    store::Result<void> record(const SigninAttempt& attempt);

    // The account's attempts, newest first, at most `keep`. Errors: the database's.
    store::Result<std::vector<SigninAttempt>> recent(std::int64_t user_id);

private:
    store::Database& db_;
};

}  // namespace idpd::auth
