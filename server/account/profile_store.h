#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "account/email_address.h"
#include "account/username_rules.h"
#include "store/database.h"

namespace idpd::account {

// What rename() did.
struct RenameOutcome {
    enum class Kind {
        renamed,
        unchanged,  // the same name as now: nothing happened, no cooldown starts
        taken,      // another account has it (ignoring case)
        too_soon,   // within the cooldown of the last rename; see allowed_at
    };
    Kind kind = Kind::renamed;
    std::optional<std::chrono::sys_seconds> allowed_at;  // too_soon: the first time it may
    std::string old_username;                            // renamed: the name before
};

// What remove_email() did.
enum class EmailRemoval {
    removed,
    not_found,      // the account has no such address
    last_recovery,  // the only verified address and no verified phone: refused
};

// What set_primary_email() did.
enum class PrimaryChange { changed, not_found, unverified };

// The account center's changes to an account (tables users, user_emails and username_changes,
// schema 0004 and 0026), each atomic against concurrent requests of the same account: the users
// row is locked first. Errors are store::Error: the database's.
class ProfileStore {
public:
    explicit ProfileStore(store::Database& db) : db_(db) {}

    // Renames the account to `name`, at most once per `cooldown` (counted from the last rename;
    // an account never renamed may rename at once). The UNIQUE key on the canonical name
    // decides between two accounts taking one name at the same moment.
    store::Result<RenameOutcome> rename(std::int64_t user_id, const Username& name,
                                        std::chrono::seconds cooldown,
                                        std::chrono::sys_seconds now);

    // When the account was last renamed, if ever.
    store::Result<std::optional<std::chrono::sys_seconds>> last_rename(std::int64_t user_id);

    // Sets the display name (already checked by the caller). Errors: not_found.
    store::Result<void> set_display_name(std::int64_t user_id, std::string_view name,
                                         std::chrono::sys_seconds now);

    // Removes an address from the account. A verified address that is the account's last one
    // is kept when `has_verified_phone` is false (the account would have no way to recover).
    // When the primary goes, the oldest remaining verified address (else the oldest) becomes
    // primary.
    store::Result<EmailRemoval> remove_email(std::int64_t user_id, const EmailAddress& email,
                                             bool has_verified_phone);

    // Makes a verified address the primary one (notices go there; the `email` claim).
    store::Result<PrimaryChange> set_primary_email(std::int64_t user_id, const EmailAddress& email);

    // Whether an account other than `user_id` has `email` verified (then adding it here sends
    // that mailbox a notice instead of a link, web/account_email_pages.h).
    store::Result<bool> is_verified_elsewhere(std::int64_t user_id, const EmailAddress& email);

private:
    store::Database& db_;
};

}  // namespace idpd::account
