#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idpd::account {

enum class UserStatus {
    active,
    disabled,  // by an operator: cannot sign in; kept, with its username, for the records
};

// "active" or "disabled", as stored in users.status.
std::string_view status_name(UserStatus status);
std::optional<UserStatus> parse_user_status(std::string_view name);

// One account, as stored in `users`.
struct User {
    std::int64_t id = 0;   // the numeric user ID shown to the user
    std::string username;  // NFC form, as chosen
    std::string display_name;
    std::optional<std::string> password_hash;  // PHC string; none for upstream-only accounts
    UserStatus status = UserStatus::active;
    std::chrono::sys_seconds created_at{};  // the registration time shown to the user
    std::chrono::sys_seconds updated_at{};
    // When the account will be deleted (account/deletion_store.h); none: not scheduled.
    std::optional<std::chrono::sys_seconds> deletion_scheduled_at;

    bool is_active() const { return status == UserStatus::active; }

    bool has_password() const { return password_hash.has_value(); }
};

}  // namespace idpd::account
