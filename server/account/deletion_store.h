// Deleting an account after a grace period (issue 9 item 10): the users row's
// deletion_scheduled_at and deleted_at (schema 0038) and the removal of the account's
// personal rows when the time comes. The pages schedule and cancel; the sweep (app/
// account_deletion.h) claims and anonymises.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace idpd::account {

using store::Result;

// What a deleted account's username becomes: "deleted:<id>". The ':' is a character no
// username may hold (account/username_rules.h), so nobody can sign up with it and block the
// anonymisation, and the UNIQUE key stays satisfied because ids are unique.
std::string deleted_username(std::int64_t user_id);

// The tables whose rows of an account are deleted with it, by their user column. Everything
// else that refers to users stays (docs/architecture.md, "Deleting an account", says why).
struct PersonalTable {
    std::string_view table;
    std::string_view user_column;
};

const std::vector<PersonalTable>& personal_tables();

class DeletionStore {
public:
    explicit DeletionStore(store::Database& db) : db_(db) {}

    // Schedules the deletion of a live (not deleted) account at `at`, replacing an earlier
    // time. Errors: not_found when there is no such live account.
    Result<void> schedule(std::int64_t user_id, std::chrono::sys_seconds at,
                          std::chrono::sys_seconds now);

    // Cancels a scheduled deletion. False when none was scheduled (already cancelled, or the
    // account is gone): the caller says nothing changed.
    Result<bool> cancel(std::int64_t user_id, std::chrono::sys_seconds now);

    // Up to `limit` accounts whose deletion is due at `now`, by ascending id.
    Result<std::vector<std::int64_t>> due(std::chrono::sys_seconds now, std::size_t limit);

    // Claims a due account and anonymises its row in one conditional UPDATE: username becomes
    // deleted_username(), display name and password are cleared, status 'disabled' (no way
    // in), deleted_at = now. True when this call did it; false when the account was not due
    // any more (cancelled, or another process deleted it first).
    Result<bool> anonymise(std::int64_t user_id, std::chrono::sys_seconds now);

    // Deletes the account's rows in personal_tables(); returns how many rows went. Run it in
    // the anonymising transaction.
    Result<std::uint64_t> delete_personal_rows(std::int64_t user_id);

private:
    store::Database& db_;
};

}  // namespace idpd::account
