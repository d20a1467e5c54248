#include "account/user.h"

namespace idpd::account {

std::string_view status_name(UserStatus status) {
    return status == UserStatus::disabled ? "disabled" : "active";
}

std::optional<UserStatus> parse_user_status(std::string_view name) {
    if (name == "active") {
        return UserStatus::active;
    }
    if (name == "disabled") {
        return UserStatus::disabled;
    }
    return std::nullopt;
}

}  // namespace idpd::account
