#include "phone/code_store.h"

#include <array>

#include "auth/session_store.h"

namespace idpd::phone {
namespace {

std::int64_t seconds_of(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

// Salted with the number and purpose, so equal codes of two numbers hash apart.
std::string hash_of(CodePurpose purpose, std::string_view phone, std::string_view code) {
    return auth::sha256("idpd phone code v1|" + std::string(purpose_name(purpose)) + "|" +
                        std::string(phone) + "|" + std::string(code));
}

// Six digits, uniform: rejection sampling over 32-bit draws.
std::string six_digits(auth::RandomSource& random) {
    constexpr std::uint32_t range = 1'000'000;
    constexpr std::uint32_t limit = UINT32_MAX - (UINT32_MAX % range);
    std::uint32_t value = 0;
    do {
        std::array<std::uint8_t, 4> raw{};
        random.fill(raw);
        value = (std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
                (std::uint32_t{raw[2]} << 8) | std::uint32_t{raw[3]};
    } while (value >= limit);
    std::string code = std::to_string(value % range);
    return std::string(6 - code.size(), '0') + code;
}

}  // namespace

std::string_view purpose_name(CodePurpose purpose) {
    return purpose == CodePurpose::sign_in ? "sign_in" : "bind";
}

bool is_code_shape(std::string_view code) {
    return code.size() == 6 && code.find_first_not_of("0123456789") == std::string_view::npos;
}

store::Result<std::chrono::seconds> CodeStore::wait_for(const CodeRequest& request,
                                                        std::chrono::sys_seconds now) {
    const std::int64_t hour_ago = seconds_of(now) - 3600;
    auto by_phone = db_.query(
        "SELECT COUNT(*), MAX(created_at) FROM phone_codes WHERE phone = ? AND purpose = ? AND "
        "created_at > ?",
        {request.phone, std::string(purpose_name(request.purpose)), hour_ago});
    auto by_ip = db_.query("SELECT COUNT(*) FROM phone_codes WHERE ip = ? AND created_at > ?",
                           {request.ip, hour_ago});
    if (!by_phone || !by_ip) {
        return std::unexpected(!by_phone ? by_phone.error() : by_ip.error());
    }
    std::int64_t user_count = 0;
    if (request.user_id && request.purpose == CodePurpose::bind) {
        auto by_user = db_.query(
            "SELECT COUNT(*) FROM phone_codes WHERE user_id = ? AND purpose = 'bind' AND "
            "created_at > ?",
            {*request.user_id, hour_ago});
        if (!by_user) {
            return std::unexpected(by_user.error());
        }
        user_count = by_user->front().integer(0);
    }
    const auto& phone_row = by_phone->front();
    const auto last = phone_row.optional_integer(1);
    if (last && seconds_of(now) - *last < limits_.per_phone_gap.count()) {
        return std::chrono::seconds{limits_.per_phone_gap.count() - (seconds_of(now) - *last)};
    }
    if (phone_row.integer(0) >= limits_.per_phone_hourly ||
        by_ip->front().integer(0) >= limits_.per_ip_hourly ||
        user_count >= limits_.per_user_hourly) {
        return std::chrono::seconds{3600};
    }
    return std::chrono::seconds{0};
}

store::Result<Issued> CodeStore::issue(const CodeRequest& request, std::chrono::sys_seconds now) {
    auto wait = wait_for(request, now);
    if (!wait) {
        return std::unexpected(wait.error());
    }
    if (wait->count() > 0) {
        return Issued{"", *wait};
    }
    std::string code = six_digits(random_);
    const store::Value user =
        request.user_id ? store::Value{*request.user_id} : store::Value{nullptr};
    auto inserted = db_.execute(
        "INSERT INTO phone_codes (purpose, phone, user_id, ip, code_hash, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {std::string(purpose_name(request.purpose)), request.phone, user, request.ip,
         store::Blob{hash_of(request.purpose, request.phone, code)}, seconds_of(now),
         seconds_of(now + limits_.ttl)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return Issued{std::move(code), std::chrono::seconds{0}};
}

store::Result<std::optional<std::int64_t>> CodeStore::redeem(CodePurpose purpose,
                                                             std::string_view phone,
                                                             std::optional<std::int64_t> user_id,
                                                             std::string_view code,
                                                             std::chrono::sys_seconds now) {
    auto rows = db_.query(
        "SELECT id, user_id, code_hash, attempts, expires_at, used_at FROM phone_codes WHERE "
        "phone = ? AND purpose = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        {std::string(phone), std::string(purpose_name(purpose))});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    const auto& row = rows->front();
    const std::int64_t id = row.integer(0);
    const auto owner = row.optional_integer(1);
    if (row.integer(3) >= limits_.max_attempts || row.integer(4) <= seconds_of(now) ||
        !row.is_null(5) || !owner || (user_id && owner != user_id)) {
        return std::nullopt;
    }
    if (!is_code_shape(code) || row.text(2) != hash_of(purpose, phone, code)) {
        auto counted =
            db_.execute("UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ?", {id});
        if (!counted) {
            return std::unexpected(counted.error());
        }
        return std::nullopt;
    }
    // The affected-row count decides between two redemptions of one code.
    auto spent = db_.execute(
        "UPDATE phone_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND attempts < ?",
        {seconds_of(now), id, limits_.max_attempts});
    if (!spent) {
        return std::unexpected(spent.error());
    }
    if (spent->affected_rows == 0) {
        return std::nullopt;
    }
    return owner;
}

store::Result<std::uint64_t> CodeStore::delete_expired(std::chrono::sys_seconds before) {
    // Rows stay an hour past expiry: the hourly throttles count them.
    auto deleted =
        db_.execute("DELETE FROM phone_codes WHERE expires_at < ?", {seconds_of(before) - 3600});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::phone
