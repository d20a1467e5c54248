#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "auth/login_throttle.h"
#include "billing/plans.h"
#include "store/database.h"

namespace idpd::app {

// Rows removed by one sweep, per kind.
struct SweepReport {
    std::uint64_t sessions = 0;
    std::uint64_t access_tokens = 0;  // opaque tokens and JWT revocation entries
    std::uint64_t authorization_codes = 0;
    std::uint64_t captchas = 0;                // expired sign-up challenges
    std::uint64_t login_failures = 0;          // throttle counts that would start from zero anyway
    std::uint64_t pushed_requests = 0;         // expired RFC 9126 request_uris
    std::uint64_t session_clients = 0;         // back-channel records older than any session
    std::uint64_t client_assertion_jtis = 0;   // private_key_jwt jtis past their assertion's exp
    std::uint64_t refresh_tokens = 0;          // tokens past idle expiry and families past absolute
    std::uint64_t dpop_proofs = 0;             // jti replay entries whose proofs are too old anyway
    std::uint64_t billing_renewals = 0;        // billing periods started (billing/subscriptions.h)
    std::uint64_t billing_orders_expired = 0;  // unpaid top-up orders past their day
    std::uint64_t federation_logins = 0;  // expired upstream login states and pending identities
    std::uint64_t second_step_rows = 0;   // expired pending logins and trusted browsers
    std::uint64_t accounts_deleted = 0;   // accounts past their grace period (account_deletion.h)
};

// Deletes what can never be used again: sessions that ended a day ago or more (the day keeps
// them on the account page's recent history), expired access tokens and revocation entries,
// expired authorization codes, refresh tokens and families, captchas, pushed requests, client
// assertion jtis and DPoP replay entries, sign-in failure counts that have run out, and the
// session_clients records of sessions that have certainly ended (older than
// `session_lifetime`, the longest a session can last). Every process runs one; the deletes are
// idempotent, so several processes sharing one database do no harm.
class Janitor {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    Janitor(store::Database& db, Clock clock, std::chrono::milliseconds interval,
            auth::ThrottleOptions throttle = {},
            std::chrono::seconds session_lifetime = std::chrono::hours(24 * 30))
        : db_(db),
          clock_(std::move(clock)),
          interval_(interval),
          throttle_(throttle),
          session_lifetime_(session_lifetime) {}

    ~Janitor() { stop(); }

    Janitor(const Janitor&) = delete;
    Janitor& operator=(const Janitor&) = delete;

    // Also start the billing periods that have ended (renewal charges, waiting downgrades).
    void renew_billing_with(billing::Catalog catalog) { billing_plans_ = std::move(catalog); }

    // Also delete the accounts whose grace period has ended: `sweep` deletes those due at the
    // time it is given and returns how many (App::account_deletion()).
    void delete_accounts_with(std::function<std::uint64_t(std::chrono::sys_seconds)> sweep) {
        delete_accounts_ = std::move(sweep);
    }

    // One pass now. Failures (the database is down) are logged and retried next interval.
    SweepReport sweep();

    // Sweeps every `interval` on a thread of its own until stop(); the first sweep comes one
    // interval after start, so start-up stays fast.
    void start();
    void stop();

private:
    store::Database& db_;
    Clock clock_;
    std::chrono::milliseconds interval_;
    auth::ThrottleOptions throttle_;
    std::chrono::seconds session_lifetime_;
    std::optional<billing::Catalog> billing_plans_;
    std::function<std::uint64_t(std::chrono::sys_seconds)> delete_accounts_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace idpd::app
