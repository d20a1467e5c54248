#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::auth {

// Keycloak's brute-force detection, kept in the database so every process sees one count.
// Config: [throttle]. After every `failure_factor` failures of a subject in a row, its next
// attempt waits `wait_increment` more (wait = increment × ⌊failures / factor⌋, at most
// `max_wait`); a failure more than `max_delta_time` after the previous one starts the count
// again; two account failures less than `quick_login_check` apart make the next attempt wait
// at least `quick_login_min_wait`. Client IPs count separately, against `ip_failure_factor`.
struct ThrottleOptions {
    bool enabled = true;
    std::int64_t failure_factor = 30;
    std::chrono::seconds wait_increment{60};
    std::chrono::seconds max_wait{std::chrono::minutes(15)};
    std::chrono::seconds max_delta_time{std::chrono::hours(12)};
    std::chrono::milliseconds quick_login_check{1000};
    std::chrono::seconds quick_login_min_wait{60};
    std::int64_t ip_failure_factor = 100;
};

// Who an attempt counts against.
struct ThrottleSubject {
    enum class Scope { account, user, ip };
    Scope scope;
    std::string key;

    // The canonical form of the identifier as typed (known or not: an unknown name is
    // throttled exactly like a known one, so throttling tells nothing about who exists).
    static ThrottleSubject account(std::string canonical_identifier) {
        return {Scope::account, std::move(canonical_identifier)};
    }

    static ThrottleSubject user(std::int64_t user_id) {
        return {Scope::user, std::to_string(user_id)};
    }

    static ThrottleSubject ip(std::string address) { return {Scope::ip, std::move(address)}; }
};

// A subject's count after a failure.
struct FailureCount {
    std::int64_t failures = 0;
    std::chrono::sys_time<std::chrono::milliseconds> not_before{};
};

// Sign-in failures per subject: table login_failures (schema 0011). Every method is one
// statement or one short transaction, so concurrent failures are counted exactly on both
// backends. Times come from the caller. Errors are store::Error from the database.
class LoginThrottle {
public:
    using TimePoint = std::chrono::system_clock::time_point;

    LoginThrottle(store::Database& db, ThrottleOptions options) : db_(db), options_(options) {}

    const ThrottleOptions& options() const { return options_; }

    // How long the longest-waiting of `subjects` must still wait at `now`; zero when an
    // attempt may be tried (always zero when throttling is off).
    store::Result<std::chrono::milliseconds> wait(std::span<const ThrottleSubject> subjects,
                                                  TimePoint now);

    // Counts one failed password check against `subject` at `now` and sets when it may be
    // tried next. Returns the new count.
    store::Result<FailureCount> record_failure(const ThrottleSubject& subject, TimePoint now);

    // Forgets `subject`'s failures (after a successful sign-in).
    store::Result<void> clear(const ThrottleSubject& subject);

    // Deletes rows whose wait is over and whose last failure is older than max_delta_time:
    // they would start from zero anyway. Returns how many.
    store::Result<std::uint64_t> sweep(TimePoint now);

private:
    std::chrono::milliseconds wait_after(const ThrottleSubject& subject, std::int64_t failures,
                                         std::int64_t since_previous_ms) const;

    store::Database& db_;
    ThrottleOptions options_;
};

}  // namespace idpd::auth
