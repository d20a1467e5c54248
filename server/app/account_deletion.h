// The end of an account's grace period (issue 9 item 10): the janitor's sweep deletes every
// account whose deletion is due (account/deletion_store.h), one transaction per account.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/database.h"
#include "web/renderer.h"

namespace idpd::app {

// Told of every session a deletion ended (back-channel logout); must return quickly.
using DeletedSessionListener = std::function<void(std::int64_t user_id, std::int64_t session_id)>;

// Deleting one due account, in one transaction: the users row is claimed and anonymised by a
// conditional UPDATE (so of several sweeping processes exactly one deletes it), its sessions
// and refresh grants (with their access tokens) end through their own stores, its personal
// rows go, an audit event and a last mail to its notice address are written. A user who owns
// an organization by then is not deleted: the deletion is cancelled, audited and mailed.
class AccountDeletion {
public:
    AccountDeletion(store::Database& db, const web::Renderer& renderer, std::string issuer,
                    DeletedSessionListener session_ended)
        : db_(db),
          renderer_(renderer),
          issuer_(std::move(issuer)),
          session_ended_(std::move(session_ended)) {}

    // Deletes the accounts due at `now` (up to 100 a sweep; the rest next time). Returns how
    // many were deleted. Failures are logged; the account stays due and is tried again.
    std::uint64_t sweep(std::chrono::sys_seconds now);

private:
    enum class Outcome { deleted, refused, skipped };
    store::Result<Outcome> delete_one(std::int64_t user_id, std::chrono::sys_seconds now,
                                      std::vector<std::int64_t>& ended);
    // The owner's case: cancels the deletion and says why, in `tx`.
    store::Result<Outcome> refuse(store::Database& tx, std::int64_t user_id,
                                  std::chrono::sys_seconds now);

    store::Database& db_;
    const web::Renderer& renderer_;
    std::string issuer_;
    DeletedSessionListener session_ended_;
};

}  // namespace idpd::app
