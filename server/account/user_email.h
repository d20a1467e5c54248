#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace idpd::account {

// One address on one account, as stored in `user_emails`.
struct UserEmail {
    std::int64_t user_id = 0;
    std::string email;                                    // NFC form, as typed
    std::string canonical;                                // fold_case(email)
    std::optional<std::chrono::sys_seconds> verified_at;  // none until the link is followed
    bool is_primary = false;  // the one used for notices; one per account at most
    std::chrono::sys_seconds created_at{};

    bool is_verified() const { return verified_at.has_value(); }
};

}  // namespace idpd::account
