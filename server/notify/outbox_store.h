#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "notify/outbox.h"
#include "store/database.h"

namespace idpd::notify {

// One outbox row.
struct OutboxMessage {
    std::int64_t id = 0;
    Message message;
    std::chrono::sys_seconds created_at{};
    int attempts = 0;  // claims so far, the current one included
    std::chrono::sys_seconds next_attempt_at{};
    std::string last_error;
    std::optional<std::chrono::sys_seconds> sent_at;
    std::optional<std::chrono::sys_seconds> failed_at;  // given up
    // What holds the claim: a failure is recorded only by the claimer whose lease this is.
    std::chrono::sys_seconds lease_until{};
};

// When to try again after a failure: retry_base after the first attempt, doubling each time up
// to retry_max; the message is given up once max_attempts attempts have failed.
struct RetryPolicy {
    int max_attempts = 8;
    std::chrono::seconds retry_base{30};
    std::chrono::seconds retry_max{std::chrono::hours(1)};

    // The pause after `attempts` failed attempts (1 → retry_base).
    std::chrono::seconds delay_after(int attempts) const;
};

// What record_failure() decided.
struct FailureOutcome {
    bool gave_up = false;
    std::chrono::sys_seconds next_attempt_at{};  // when not given up
};

// The outbox table (schema 0010). Delivery is at-least-once: a process that sends a message
// and dies before record_sent() leaves the row claimed; when its lease runs out another
// process sends it again. Exactly-once would need the mail server to take part in our
// transaction, which SMTP cannot. Errors are store::Error.
class OutboxStore {
public:
    explicit OutboxStore(store::Database& db) : db_(db) {}

    // Up to `limit` ids of messages due at `now` (not finished, next attempt reached, no live
    // lease), oldest due first. Another process may claim any of them first.
    store::Result<std::vector<std::int64_t>> due(std::chrono::sys_seconds now, std::size_t limit);

    // Claims message `id` until now + lease, counting one attempt, in one UPDATE whose
    // affected-row count decides between racing claimers: the message for the one that won,
    // nullopt for everyone else (already claimed, finished, or not due yet).
    store::Result<std::optional<OutboxMessage>> claim(std::int64_t id, std::chrono::sys_seconds now,
                                                      std::chrono::seconds lease);

    // Records the message as sent at `now` and ends its lease, whoever holds it now: it was
    // delivered.
    store::Result<void> record_sent(std::int64_t id, std::chrono::sys_seconds now);

    // Records a failed attempt of `claimed` (as claim() returned it): schedules the next one
    // by `policy`, or gives up when `permanent` or when the attempts are used up. Does nothing
    // and answers nullopt when the claim was lost (the lease ran out and another process took
    // the message).
    store::Result<std::optional<FailureOutcome>> record_failure(const OutboxMessage& claimed,
                                                                const std::string& error,
                                                                bool permanent,
                                                                const RetryPolicy& policy,
                                                                std::chrono::sys_seconds now);

    // One message, finished or not. Errors: not_found.
    store::Result<OutboxMessage> find(std::int64_t id);

    // The `limit` newest messages, newest first (for /dev/outbox).
    store::Result<std::vector<OutboxMessage>> latest(std::size_t limit);

    // Deletes messages sent or given up before `before`; returns how many.
    store::Result<std::uint64_t> delete_finished(std::chrono::sys_seconds before);

private:
    store::Database& db_;
};

}  // namespace idpd::notify
