#include "account/deletion_store.h"

namespace idpd::account {
namespace {

std::int64_t to_epoch(std::chrono::sys_seconds time) {
    return time.time_since_epoch().count();
}

}  // namespace

std::string deleted_username(std::int64_t user_id) {
    return "deleted:" + std::to_string(user_id);
}

const std::vector<PersonalTable>& personal_tables() {
    // Sessions and refresh grants are not here: they are ended through their own stores
    // (auth::SessionStore, oidc::revoke_user_grants) so back-channel logout hears of them.
    static const std::vector<PersonalTable> tables{
        {"user_emails", "user_id"},
        {"email_tokens", "user_id"},
        {"authorization_codes", "user_id"},
        {"consents", "user_id"},
        {"totp_secrets", "user_id"},
        {"recovery_codes", "user_id"},
        {"federation_identities", "user_id"},
        {"federation_states", "user_id"},
        {"signin_history", "user_id"},
        {"username_changes", "user_id"},
        {"step_up_codes", "user_id"},
        {"avatars", "user_id"},
        {"user_phones", "user_id"},
        {"phone_codes", "user_id"},
        {"api_keys", "user_id"},
        {"notification_preferences", "user_id"},
        {"pending_logins", "user_id"},
        {"trusted_browsers", "user_id"},
        {"org_members", "user_id"},
        {"org_invitations", "invitee_user_id"},
    };
    return tables;
}

Result<void> DeletionStore::schedule(std::int64_t user_id, std::chrono::sys_seconds at,
                                     std::chrono::sys_seconds now) {
    auto updated = db_.execute(
        "UPDATE users SET deletion_scheduled_at = ?, updated_at = ? "
        "WHERE id = ? AND deleted_at IS NULL",
        {to_epoch(at), to_epoch(now), user_id});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    if (updated->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such account");
    }
    return {};
}

Result<bool> DeletionStore::cancel(std::int64_t user_id, std::chrono::sys_seconds now) {
    auto updated = db_.execute(
        "UPDATE users SET deletion_scheduled_at = NULL, updated_at = ? "
        "WHERE id = ? AND deletion_scheduled_at IS NOT NULL AND deleted_at IS NULL",
        {to_epoch(now), user_id});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return updated->affected_rows > 0;
}

Result<std::vector<std::int64_t>> DeletionStore::due(std::chrono::sys_seconds now,
                                                     std::size_t limit) {
    auto rows = db_.query(
        "SELECT id FROM users WHERE deletion_scheduled_at <= ? AND deleted_at IS NULL "
        "ORDER BY id LIMIT ?",
        {to_epoch(now), static_cast<std::int64_t>(limit)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<std::int64_t> ids;
    for (const auto& row : *rows) {
        ids.push_back(row.integer(0));
    }
    return ids;
}

Result<bool> DeletionStore::anonymise(std::int64_t user_id, std::chrono::sys_seconds now) {
    const std::string name = deleted_username(user_id);
    auto updated = db_.execute(
        "UPDATE users SET username = ?, username_canonical = ?, display_name = '', "
        "password_hash = NULL, status = 'disabled', deleted_at = ?, "
        "deletion_scheduled_at = NULL, updated_at = ? "
        "WHERE id = ? AND deletion_scheduled_at <= ? AND deleted_at IS NULL",
        {name, name, to_epoch(now), to_epoch(now), user_id, to_epoch(now)});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return updated->affected_rows > 0;
}

Result<std::uint64_t> DeletionStore::delete_personal_rows(std::int64_t user_id) {
    std::uint64_t total = 0;
    for (const auto& [table, column] : personal_tables()) {
        auto deleted = db_.execute(
            "DELETE FROM " + std::string(table) + " WHERE " + std::string(column) + " = ?",
            {user_id});
        if (!deleted) {
            return std::unexpected(deleted.error());
        }
        total += deleted->affected_rows;
    }
    return total;
}

}  // namespace idpd::account
