#include "app/claims_profile.h"

#include <chrono>
#include <string>

#include "account/avatar_store.h"
#include "account/user.h"

namespace idpd::app {

namespace {

// At most one row: users.id is the key, user_phones.user_id and avatars.user_id are unique,
// and an account has at most one primary address (account/profile_store.h keeps it so).
constexpr std::string_view profile_sql =
    "SELECT u.username, u.display_name, u.status, u.updated_at, e.email, e.verified_at, "
    "p.phone, a.content_type, a.url, a.updated_at "
    "FROM users u "
    "LEFT JOIN user_emails e ON e.user_id = u.id AND e.is_primary = 1 "
    "LEFT JOIN user_phones p ON p.user_id = u.id "
    "LEFT JOIN avatars a ON a.user_id = u.id "
    "WHERE u.id = ?";

std::optional<std::string> picture(const store::Row& row, std::int64_t user_id,
                                   std::string_view issuer) {
    if (row.is_null(9)) {
        return std::nullopt;  // no avatar
    }
    account::Avatar avatar;
    avatar.user_id = user_id;
    avatar.content_type = row.optional_text(7);
    avatar.url = row.optional_text(8);
    avatar.updated_at = std::chrono::sys_seconds{std::chrono::seconds{row.integer(9)}};
    // An upload is served by us: an absolute URL on the issuer's origin.
    const std::string location = account::avatar_location(avatar);
    return avatar.is_upload() ? std::string(issuer) + location : location;
}

}  // namespace

oidc::Result<std::optional<oidc::UserProfile>> read_claims_profile(store::Database& db,
                                                                   std::int64_t user_id,
                                                                   std::string_view issuer) {
    auto rows = db.query(profile_sql, {user_id});
    if (!rows) {
        return std::unexpected(oidc::database_error(rows.error()));
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    const store::Row& row = rows->front();
    if (account::parse_user_status(row.text(2)) != account::UserStatus::active) {
        return std::nullopt;
    }
    oidc::UserProfile profile;
    profile.preferred_username = row.text(0);
    profile.name = row.text(1);
    profile.updated_at = row.integer(3);
    if (!row.is_null(4)) {
        profile.email = row.text(4);
        profile.email_verified = !row.is_null(5);
    }
    if (!row.is_null(6)) {  // a bound number was verified by its code (OIDC Core §5.4)
        profile.phone_number = row.text(6);
        profile.phone_number_verified = true;
    }
    profile.picture = picture(row, user_id, issuer);
    return profile;
}

}  // namespace idpd::app
