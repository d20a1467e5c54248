#include "audit/audit_log.h"

#include <algorithm>
#include <array>
#include <utility>

namespace idpd::audit {
namespace {

constexpr std::size_t max_user_agent = 256;
constexpr std::size_t max_ip = 45;
constexpr std::size_t max_identifier = 254;

// A plain array sized by its initialiser: a branch that adds event types adds lines only.
constexpr std::pair<EventType, std::string_view> names[] = {
    {EventType::sign_up, "sign_up"},
    {EventType::sign_in_success, "sign_in.success"},
    {EventType::sign_in_failure, "sign_in.failure"},
    {EventType::sign_in_throttled, "sign_in.throttled"},
    {EventType::sign_out, "sign_out"},
    {EventType::session_revoke, "session.revoke"},
    {EventType::password_reset_requested, "password_reset.requested"},
    {EventType::password_reset_completed, "password_reset.completed"},
    {EventType::email_verified, "email.verified"},
    {EventType::billing_payment_refused, "billing.payment_refused"},
    {EventType::billing_payment_confirmed, "billing.payment_confirmed"},
    {EventType::second_factor_success, "second_factor.success"},
    {EventType::second_factor_failure, "second_factor.failure"},
    {EventType::recovery_code_used, "recovery_code.used"},
    {EventType::totp_enabled, "totp.enabled"},
    {EventType::totp_disabled, "totp.disabled"},
    {EventType::recovery_codes_regenerated, "recovery_codes.regenerated"},
    {EventType::org_created, "org.created"},
    {EventType::org_invited, "org.invited"},
    {EventType::org_invitation_revoked, "org.invitation_revoked"},
    {EventType::org_joined, "org.joined"},
    {EventType::org_role_changed, "org.role_changed"},
    {EventType::org_member_removed, "org.member_removed"},
    {EventType::org_left, "org.left"},
    {EventType::org_transferred, "org.transferred"},
    {EventType::org_deleted, "org.deleted"},
    {EventType::phone_bound, "phone.bound"},
    {EventType::phone_unbound, "phone.unbound"},
    {EventType::api_key_created, "api_key.created"},
    {EventType::api_key_revoked, "api_key.revoked"},
    {EventType::notification_preferences_changed, "notification_preferences.changed"},
    {EventType::username_changed, "account.username_changed"},
    {EventType::display_name_changed, "account.display_name_changed"},
    {EventType::email_added, "email.added"},
    {EventType::email_removed, "email.removed"},
    {EventType::email_primary_changed, "email.primary_changed"},
    {EventType::password_changed, "password.changed"},
    {EventType::password_set, "password.set"},
    {EventType::email_code_sent, "step_up.email_code_sent"},
    {EventType::avatar_changed, "account.avatar_changed"},
    {EventType::billing_coupon_redeemed, "billing.coupon_redeemed"},
    {EventType::wechat_mp_linked, "wechat_mp.linked"},
    {EventType::wechat_mp_unlinked, "wechat_mp.unlinked"},
    {EventType::account_deletion_scheduled, "account.deletion_scheduled"},
    {EventType::account_deletion_cancelled, "account.deletion_cancelled"},
    {EventType::account_deleted, "account.deleted"},
};

// Headers are ASCII; anything else would be refused by a strict utf8mb4 column.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (char c : text.substr(0, std::min(text.size(), limit))) {
        out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out;
}

// At most `limit` bytes, never cutting a UTF-8 sequence in two.
std::string utf8_prefix(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) {
        return std::string(text);
    }
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end));
}

}  // namespace

std::string_view type_name(EventType type) {
    for (const auto& [t, name] : names) {
        if (t == type) {
            return name;
        }
    }
    return "unknown";
}

std::optional<EventType> parse_type(std::string_view name) {
    for (const auto& [t, n] : names) {
        if (n == name) {
            return t;
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> type_names() {
    std::vector<std::string_view> out;
    for (const auto& entry : names) {
        out.push_back(entry.second);
    }
    return out;
}

store::Result<void> record(store::Database& db, const Event& event, std::chrono::sys_seconds now) {
    store::Value user = nullptr;
    if (event.user_id) {
        user = *event.user_id;
    }
    store::Value identifier = nullptr;
    if (!event.identifier.empty()) {
        identifier = utf8_prefix(event.identifier, max_identifier);
    }
    const nlohmann::json detail =
        event.detail.is_object() ? event.detail : nlohmann::json::object();
    auto inserted = db.execute(
        "INSERT INTO audit_events (occurred_at, type, user_id, identifier, ip, user_agent, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {now.time_since_epoch().count(), std::string(type_name(event.type)), user, identifier,
         printable(event.ip, max_ip), printable(event.user_agent, max_user_agent),
         detail.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<std::vector<Record>> tail(store::Database& db, const Filter& filter) {
    std::string sql =
        "SELECT id, occurred_at, type, user_id, identifier, ip, user_agent, detail "
        "FROM audit_events WHERE 1 = 1";
    store::Params params;
    if (filter.user_id) {
        sql += " AND user_id = ?";
        params.emplace_back(*filter.user_id);
    }
    if (filter.type) {
        sql += " AND type = ?";
        params.emplace_back(*filter.type);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(filter.limit));
    auto rows = db.query(sql, params);
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Record> out;
    for (const auto& row : *rows) {
        out.push_back(Record{row.integer(0),
                             std::chrono::sys_seconds{std::chrono::seconds{row.integer(1)}},
                             row.text(2), row.optional_integer(3), row.optional_text(4),
                             row.text(5), row.text(6), row.text(7)});
    }
    std::reverse(out.begin(), out.end());  // newest last, like tail(1)
    return out;
}

}  // namespace idpd::audit
