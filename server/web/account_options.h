#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "org/membership.h"
#include "store/error.h"

namespace idpd::web {

// The account center's settings. Config: [account] (app/web_settings.cpp maps them).
struct AccountOptions {
    // The shortest time between two renames of one account.
    std::chrono::seconds username_change_cooldown{std::chrono::days(30)};
    // Avatar uploads: the largest file, and the largest area its header may declare (checked
    // before any pixel is decoded: an image bomb is refused without allocating for it).
    std::size_t avatar_max_bytes = 1024 * 1024;
    std::uint64_t avatar_max_pixels = 4096ULL * 4096ULL;
    // From "delete my account" to the deletion; the user may cancel until then.
    std::chrono::days deletion_grace{7};
};

// Whether the account has a verified phone number (a way to recover it other than email).
// Implemented by the phones capability; errors: database failures only.
using HasVerifiedPhone = std::function<store::Result<bool>(std::int64_t user_id)>;

}  // namespace idpd::web
