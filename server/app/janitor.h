#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "store/database.h"

namespace idpd::app {

// Rows removed by one sweep, per kind.
struct SweepReport {
    std::uint64_t sessions = 0;
    std::uint64_t access_tokens = 0;  // opaque tokens and JWT revocation entries
    std::uint64_t authorization_codes = 0;
    std::uint64_t refresh_tokens = 0;  // tokens past idle expiry and families past absolute
    std::uint64_t dpop_proofs = 0;     // jti replay entries whose proofs are too old anyway
};

// Deletes what can never be used again: sessions that ended a day ago or more (the day keeps
// them on the account page's recent history), expired access tokens and revocation entries,
// expired authorization codes, expired refresh tokens and families, and DPoP replay entries. Every
// process runs one; the deletes are idempotent, so several processes sharing one database do no
// harm.
class Janitor {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    Janitor(store::Database& db, Clock clock, std::chrono::milliseconds interval)
        : db_(db), clock_(std::move(clock)), interval_(interval) {}

    ~Janitor() { stop(); }

    Janitor(const Janitor&) = delete;
    Janitor& operator=(const Janitor&) = delete;

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
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace idpd::app
