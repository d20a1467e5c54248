#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/email_address.h"
#include "account/user.h"
#include "account/user_email.h"
#include "account/username_rules.h"
#include "store/database.h"

namespace idpd::account {

using store::Result;

// What create() needs: a username that passed check_username(), and a password hash when the
// account has a password (none for an account made through an upstream login).
struct NewUser {
    Username username;
    std::string display_name;
    std::optional<std::string> password_hash;
};

// One page of list(): keyset pagination by id, stable while accounts are added.
struct UserPage {
    std::vector<User> users;  // ascending id
    std::optional<std::int64_t>
        next_after;  // pass as `after_id` for the next page; none at the end
};

// The accounts' storage: tables users and user_emails (schema/*/0004_users.sql), written once
// against store::Database and run on both backends by the conformance suite. Times come from
// the caller (style H.7). Errors are store::Error: not_found, conflict, and the database's own
// (unavailable, retry, invalid). To combine several calls atomically, build a UserStore on the
// `tx` of store::Database::transaction().
class UserStore {
public:
    explicit UserStore(store::Database& db) : db_(db) {}

    // Inserts an active account. Errors: conflict when another account has the same canonical
    // username (also when both are created at the same moment: the UNIQUE key decides).
    Result<User> create(const NewUser& user, std::chrono::sys_seconds now);

    // Runs `work` with a UserStore on one transaction (store::Database::transaction: commit
    // when it returns a value, rollback on an error, retried on `retry`), so several calls
    // happen together or not at all.
    Result<void> transaction(const std::function<Result<void>(UserStore& tx)>& work);

    // Errors: not_found.
    Result<User> find_by_id(std::int64_t id);

    // By username, ignoring case and normalisation (the canonical column). Errors: not_found,
    // also for text that is not a possible username.
    Result<User> find_by_username(std::string_view username);

    // What the sign-in form's one field names: a username, or an email address (it holds '@',
    // which no username can). An address finds the account only when exactly one account has
    // it verified (design.md §2): none, or two or more, is not_found. Disabled accounts are
    // returned too: the caller checks is_active() after verifying the password, so a disabled
    // account answers like a wrong password would until then.
    Result<User> find_by_sign_in_identifier(std::string_view identifier);

    // Sets (or, with nullopt, removes) the account's password hash. Errors: not_found, also
    // for a deleted account (account/deletion_store.h), which stays deleted.
    Result<void> set_password_hash(std::int64_t id, const std::optional<std::string>& hash,
                                   std::chrono::sys_seconds now);

    // Disables or re-enables an account. Idempotent. Errors: not_found, also for a deleted
    // account.
    Result<void> set_status(std::int64_t id, UserStatus status, std::chrono::sys_seconds now);

    // Up to `limit` accounts (clamped to 1..1000) with id > after_id, by ascending id.
    Result<UserPage> list(std::int64_t after_id, std::size_t limit);

    // Adds an unverified address to an account; the account's first address becomes its
    // primary. Errors: conflict when the account already has it (ignoring case), or when the
    // account does not exist.
    Result<UserEmail> add_email(std::int64_t user_id, const EmailAddress& email,
                                std::chrono::sys_seconds now);

    // Records that the user followed the verification link; a second call keeps the first
    // time. Errors: not_found when the account does not have the address.
    Result<void> mark_email_verified(std::int64_t user_id, const EmailAddress& email,
                                     std::chrono::sys_seconds now);

    // Makes the address the account's only primary one. Errors: not_found when the account
    // does not have it.
    Result<void> set_primary_email(std::int64_t user_id, const EmailAddress& email);

    // The account's addresses, the primary first, then by age.
    Result<std::vector<UserEmail>> emails(std::int64_t user_id);

private:
    Result<User> find_one(std::string_view sql, const store::Params& params);

    store::Database& db_;
};

}  // namespace idpd::account
