#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::auth {

// The 6-digit codes that let an account without a password or TOTP pass the step-up check
// (table step_up_codes, schema 0026): mailed to its verified address, valid `ttl`, used once,
// at most `max_attempts` wrong tries each.
class StepUpCodeStore {
public:
    static constexpr int max_attempts = 5;
    // Throttle: one code per `resend_after`, at most `per_hour` an hour, per user.
    static constexpr std::chrono::seconds resend_after{60};
    static constexpr int per_hour = 5;

    StepUpCodeStore(store::Database& db, RandomSource& random) : db_(db), random_(random) {}

    // A new code for `user_id`, or nullopt when the throttle refuses one now (then nothing is
    // stored). Errors: the database's.
    store::Result<std::optional<std::string>> issue(std::int64_t user_id, std::chrono::seconds ttl,
                                                    std::chrono::sys_seconds now);

    // Whether `code` is the user's newest live code; it is then used up. A wrong code counts a
    // try against it. Errors: the database's.
    store::Result<bool> redeem(std::int64_t user_id, std::string_view code,
                               std::chrono::sys_seconds now);

    // Deletes codes that expired before `before`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    RandomSource& random_;
};

}  // namespace idpd::auth
