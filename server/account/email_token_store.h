#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::account {

enum class EmailTokenPurpose { verify_email, password_reset };

std::string_view purpose_name(EmailTokenPurpose purpose);

// Whether `token` has the shape issue() gives (64 lowercase hex digits), so anything else is
// refused without a database look-up.
bool is_token_shape(std::string_view token);

// What a redeemed link proves: that whoever holds `email`'s mailbox asked for `purpose` on the
// account `user_id`.
struct RedeemedEmailToken {
    std::int64_t user_id = 0;
    std::string email;
};

// The single-use links idpd sends by email (table `email_tokens`, schema 0017). The token is
// 256 random bits in the link; the database holds only its SHA-256.
class EmailTokenStore {
public:
    // `db` may be a transaction, so the token and its outbox message commit together.
    EmailTokenStore(store::Database& db, auth::RandomSource& random) : db_(db), random_(random) {}

    // A new token for `purpose`, valid for `ttl`; returns the token for the link.
    store::Result<std::string> issue(EmailTokenPurpose purpose, std::int64_t user_id,
                                     std::string_view email, std::chrono::seconds ttl,
                                     std::chrono::sys_seconds now);

    // Whether `token` would redeem now (for showing a form before the POST that redeems it).
    store::Result<std::optional<RedeemedEmailToken>> peek(std::string_view token,
                                                          EmailTokenPurpose purpose,
                                                          std::chrono::sys_seconds now);

    // Redeems `token` once: the first caller gets what it proves, every later one (and an
    // expired, unknown or other-purpose token) not_found. Redeeming a password reset token also
    // voids the user's other outstanding reset tokens.
    store::Result<RedeemedEmailToken> redeem(std::string_view token, EmailTokenPurpose purpose,
                                             std::chrono::sys_seconds now);

    // When the newest token for this user, purpose and address was issued (for a resend
    // cooldown), if any.
    store::Result<std::optional<std::chrono::sys_seconds>> last_issued(EmailTokenPurpose purpose,
                                                                       std::int64_t user_id,
                                                                       std::string_view email);

    // Deletes tokens that expired before `before`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    auth::RandomSource& random_;
};

}  // namespace idpd::account
