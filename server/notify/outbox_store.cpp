#include "notify/outbox_store.h"

#include <algorithm>

#include "store/epoch.h"

namespace idpd::notify {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::string_view columns =
    "SELECT id, channel, recipient, subject, text_body, html_body, kind, created_at, attempts, "
    "next_attempt_at, last_error, sent_at, failed_at, lease_until FROM outbox ";

using store::at;
using store::epoch;

std::optional<sys_seconds> optional_at(const std::optional<std::int64_t>& s) {
    if (!s) {
        return std::nullopt;
    }
    return at(*s);
}

OutboxMessage from_row(const store::Row& row) {
    OutboxMessage m;
    m.id = row.integer(0);
    m.message.channel = parse_outbox_channel(row.text(1)).value_or(Channel::email);
    m.message.to = row.text(2);
    m.message.subject = row.text(3);
    m.message.text = row.text(4);
    m.message.html = row.text(5);
    m.message.kind = row.text(6);
    m.created_at = at(row.integer(7));
    m.attempts = static_cast<int>(row.integer(8));
    m.next_attempt_at = at(row.integer(9));
    m.last_error = row.text(10);
    m.sent_at = optional_at(row.optional_integer(11));
    m.failed_at = optional_at(row.optional_integer(12));
    m.lease_until = at(row.integer(13));
    return m;
}

// The column holds at most 1000 characters; cut on a UTF-8 boundary.
std::string clipped(const std::string& error) {
    if (error.size() <= 1000) {
        return error;
    }
    std::size_t cut = 1000;
    while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return error.substr(0, cut);
}

}  // namespace

seconds RetryPolicy::delay_after(int attempts) const {
    seconds delay = retry_base;
    for (int i = 1; i < attempts && delay < retry_max; ++i) {
        delay *= 2;
    }
    return std::min(delay, retry_max);
}

store::Result<std::vector<std::int64_t>> OutboxStore::due(sys_seconds now, std::size_t limit) {
    auto rows = db_.query(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND "
        "next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at, id LIMIT ?",
        {epoch(now), epoch(now), static_cast<std::int64_t>(limit)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<std::int64_t> ids;
    for (const auto& row : *rows) {
        ids.push_back(row.integer(0));
    }
    return ids;
}

store::Result<std::optional<OutboxMessage>> OutboxStore::claim(std::int64_t id, sys_seconds now,
                                                               seconds lease) {
    // The WHERE clause repeats due()'s condition: only one of several racing processes still
    // finds it true, and the affected-row count tells each which it was.
    auto updated = db_.execute(
        "UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND sent_at IS "
        "NULL AND failed_at IS NULL AND next_attempt_at <= ? AND lease_until <= ?",
        {epoch(now + lease), id, epoch(now), epoch(now)});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows != 1) {
        return std::nullopt;
    }
    auto claimed = find(id);
    if (!claimed) {
        return std::unexpected(claimed.error());
    }
    return *claimed;
}

store::Result<void> OutboxStore::record_sent(std::int64_t id, sys_seconds now) {
    auto updated = db_.execute(
        "UPDATE outbox SET sent_at = ?, failed_at = NULL, lease_until = 0, last_error = '' WHERE "
        "id = ? AND sent_at IS NULL",
        {epoch(now), id});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return {};
}

store::Result<std::optional<FailureOutcome>> OutboxStore::record_failure(
    const OutboxMessage& claimed, const std::string& error, bool permanent,
    const RetryPolicy& policy, sys_seconds now) {
    FailureOutcome outcome;
    outcome.gave_up = permanent || claimed.attempts >= policy.max_attempts;
    outcome.next_attempt_at = now + policy.delay_after(claimed.attempts);
    store::Value failed_at = nullptr;
    if (outcome.gave_up) {
        failed_at = epoch(now);
    }
    // Only the holder of this very claim records: the lease and the attempt count identify it.
    auto updated = db_.execute(
        "UPDATE outbox SET last_error = ?, lease_until = 0, next_attempt_at = ?, failed_at = ? "
        "WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL AND lease_until = ? AND "
        "attempts = ?",
        {clipped(error), epoch(outcome.next_attempt_at), failed_at, claimed.id,
         epoch(claimed.lease_until), static_cast<std::int64_t>(claimed.attempts)});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows != 1) {
        return std::nullopt;
    }
    return outcome;
}

store::Result<OutboxMessage> OutboxStore::find(std::int64_t id) {
    auto rows = db_.query(std::string(columns) + "WHERE id = ?", {id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found,
                           "no outbox message " + std::to_string(id));
    }
    return from_row(rows->front());
}

store::Result<std::vector<OutboxMessage>> OutboxStore::latest(std::size_t limit) {
    auto rows = db_.query(std::string(columns) + "ORDER BY id DESC LIMIT ?",
                          {static_cast<std::int64_t>(limit)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<OutboxMessage> messages;
    for (const auto& row : *rows) {
        messages.push_back(from_row(row));
    }
    return messages;
}

store::Result<std::uint64_t> OutboxStore::delete_finished(sys_seconds before) {
    auto deleted = db_.execute(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) OR (failed_at IS NOT "
        "NULL AND failed_at < ?)",
        {epoch(before), epoch(before)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::notify
