#include "auth/step_up_code_store.h"

#include <array>

#include "auth/session_store.h"

namespace idpd::auth {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::string hash_of(std::int64_t user_id, std::string_view code) {
    return to_hex(sha256(std::to_string(user_id) + ":" + std::string(code)));
}

// Six decimal digits, uniform: 32-bit draws below the largest multiple of 10^6 are kept.
std::string six_digits(RandomSource& random) {
    constexpr std::uint32_t range = 1'000'000;
    constexpr std::uint32_t limit = 0xffffffffU - (0xffffffffU % range);
    while (true) {
        std::array<std::uint8_t, 4> bytes{};
        random.fill(bytes);
        const std::uint32_t value = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) |
                                    (static_cast<std::uint32_t>(bytes[3]) << 24);
        if (value < limit) {
            std::string digits = std::to_string(value % range);
            return std::string(6 - digits.size(), '0') + digits;
        }
    }
}

}  // namespace

store::Result<std::optional<std::string>> StepUpCodeStore::issue(std::int64_t user_id,
                                                                 std::chrono::seconds ttl,
                                                                 std::chrono::sys_seconds now) {
    auto recent = db_.query(
        "SELECT COUNT(*), MAX(created_at) FROM step_up_codes WHERE user_id = ? AND created_at > ?",
        {user_id, epoch(now) - 3600});
    if (!recent) {
        return std::unexpected(recent.error());
    }
    const auto& row = recent->front();
    const auto last = row.optional_integer(1);
    if (row.integer(0) >= per_hour || (last && epoch(now) - *last < resend_after.count())) {
        return std::nullopt;
    }
    std::string code = six_digits(random_);
    auto inserted = db_.execute(
        "INSERT INTO step_up_codes (user_id, code_hash, created_at, expires_at, attempts) "
        "VALUES (?, ?, ?, ?, 0)",
        {user_id, hash_of(user_id, code), epoch(now), epoch(now) + ttl.count()});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return code;
}

store::Result<bool> StepUpCodeStore::redeem(std::int64_t user_id, std::string_view code,
                                            std::chrono::sys_seconds now) {
    auto rows = db_.query(
        "SELECT id, code_hash, attempts FROM step_up_codes WHERE user_id = ? AND used_at IS NULL "
        "AND expires_at > ? ORDER BY id DESC LIMIT 1",
        {user_id, epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty() || rows->front().integer(2) >= max_attempts) {
        return false;
    }
    const std::int64_t id = rows->front().integer(0);
    if (rows->front().text(1) != hash_of(user_id, code)) {
        auto counted =
            db_.execute("UPDATE step_up_codes SET attempts = attempts + 1 WHERE id = ?", {id});
        if (!counted) {
            return std::unexpected(counted.error());
        }
        return false;
    }
    // The UPDATE's condition decides a race between two tabs: one of them uses the code.
    auto used = db_.execute(
        "UPDATE step_up_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND attempts < ?",
        {epoch(now), id, std::int64_t{max_attempts}});
    if (!used) {
        return std::unexpected(used.error());
    }
    return used->affected_rows == 1;
}

store::Result<std::uint64_t> StepUpCodeStore::delete_expired(std::chrono::sys_seconds before) {
    auto deleted = db_.execute("DELETE FROM step_up_codes WHERE expires_at < ?", {epoch(before)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::auth
