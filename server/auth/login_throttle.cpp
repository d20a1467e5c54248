#include "auth/login_throttle.h"

#include <algorithm>

#include "auth/session_store.h"
#include "store/dialect.h"

namespace idpd::auth {
namespace {

using std::chrono::milliseconds;

std::string_view scope_name(ThrottleSubject::Scope scope) {
    switch (scope) {
        case ThrottleSubject::Scope::account:
            return "account";
        case ThrottleSubject::Scope::user:
            return "user";
        case ThrottleSubject::Scope::ip:
            return "ip";
    }
    return "unknown";
}

// The row key: nothing typed is stored (people type passwords into the name field).
store::Blob subject_hash(const ThrottleSubject& subject) {
    return store::Blob{sha256(std::string(scope_name(subject.scope)) + ":" + subject.key)};
}

std::int64_t millis(LoginThrottle::TimePoint t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

milliseconds LoginThrottle::wait_after(const ThrottleSubject& subject, std::int64_t failures,
                                       std::int64_t since_previous_ms) const {
    const bool ip = subject.scope == ThrottleSubject::Scope::ip;
    const std::int64_t factor = ip ? options_.ip_failure_factor : options_.failure_factor;
    milliseconds wait =
        std::min<milliseconds>(options_.wait_increment * (failures / factor), options_.max_wait);
    // Keycloak's quick-login check: a second failure within a second is a script, not a person.
    // Not for IPs, which many people may share behind one NAT.
    if (!ip && wait == milliseconds::zero() && since_previous_ms >= 0 &&
        since_previous_ms < options_.quick_login_check.count()) {
        wait = std::min<milliseconds>(options_.quick_login_min_wait, options_.max_wait);
    }
    return wait;
}

store::Result<milliseconds> LoginThrottle::wait(std::span<const ThrottleSubject> subjects,
                                                TimePoint now) {
    milliseconds longest{0};
    if (!options_.enabled) {
        return longest;
    }
    for (const auto& subject : subjects) {
        auto rows = db_.query("SELECT not_before_ms FROM login_failures WHERE subject_hash = ?",
                              {subject_hash(subject)});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (!rows->empty()) {
            longest = std::max(longest, milliseconds{rows->front().integer(0) - millis(now)});
        }
    }
    return longest;
}

store::Result<FailureCount> LoginThrottle::record_failure(const ThrottleSubject& subject,
                                                          TimePoint now) {
    const std::int64_t at = millis(now);
    const store::Blob key = subject_hash(subject);
    FailureCount count;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        // One atomic UPSERT raises the count (restarting it after max_delta_time) and keeps the
        // previous failure's time. It holds the row's write lock until commit, so the read
        // below sees exactly this failure's count, whatever other processes do meanwhile.
        // No assignment reads a column assigned before it (see store::upsert_clause).
        auto upserted = tx.execute(
            "INSERT INTO login_failures (subject_hash, scope, failures, last_failure_ms, "
            "previous_failure_ms, not_before_ms) VALUES (?, ?, 1, ?, -1, 0) " +
                store::upsert_clause(tx.dialect(), "subject_hash") +
                " failures = CASE WHEN ? - last_failure_ms > ? THEN 1 ELSE failures + 1 END, "
                "previous_failure_ms = CASE WHEN ? - last_failure_ms > ? THEN -1 "
                "ELSE last_failure_ms END, "
                "last_failure_ms = ?",
            {key, std::string(scope_name(subject.scope)), at, at,
             milliseconds(options_.max_delta_time).count(), at,
             milliseconds(options_.max_delta_time).count(), at});
        if (!upserted) {
            return std::unexpected(upserted.error());
        }
        auto rows = tx.query(
            "SELECT failures, previous_failure_ms, not_before_ms FROM login_failures "
            "WHERE subject_hash = ?",
            {key});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (rows->empty()) {
            return store::fail(store::Error::Kind::not_found, "login_failures row vanished");
        }
        const auto& row = rows->front();
        count.failures = row.integer(0);
        const std::int64_t previous = row.integer(1);
        const milliseconds wait =
            wait_after(subject, count.failures, previous < 0 ? -1 : at - previous);
        // Never shorten a wait already set (Keycloak only ever moves notBefore forward).
        const std::int64_t not_before = std::max(row.integer(2), at + wait.count());
        count.not_before = std::chrono::sys_time<milliseconds>{milliseconds{not_before}};
        auto updated =
            tx.execute("UPDATE login_failures SET not_before_ms = ? WHERE subject_hash = ?",
                       {not_before, key});
        if (!updated) {
            return std::unexpected(updated.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return count;
}

store::Result<void> LoginThrottle::clear(const ThrottleSubject& subject) {
    auto deleted =
        db_.execute("DELETE FROM login_failures WHERE subject_hash = ?", {subject_hash(subject)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return {};
}

store::Result<std::uint64_t> LoginThrottle::sweep(TimePoint now) {
    const std::int64_t at = millis(now);
    auto deleted =
        db_.execute("DELETE FROM login_failures WHERE not_before_ms < ? AND last_failure_ms < ?",
                    {at, at - milliseconds(options_.max_delta_time).count()});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::auth
