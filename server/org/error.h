// org: organizations, their members and roles, and invitations. Each organization has its own
// billing account ({org, id}); membership decides who sees it and who may pay for it.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"
#include "store/error.h"

namespace idpd::org {

// Why an organization operation was refused. The codes are stable: pages map them to catalog
// words and the API sends code_name() as its "error" (never the English message's text).
enum class Code {
    invalid_name,          // not a handle: 3–32 of a–z, 0–9, '-', '_', not all digits
    invalid_display_name,  // empty, or longer than 64 characters
    name_taken,            // another organization has this name
    invalid_role,          // not "admin" or "member" where one of those is needed
    not_found,             // no such organization (or the caller is not in it), member, invitation
    forbidden,             // the caller's role does not allow it
    owner_must_transfer,   // the owner cannot leave, be removed or demoted: transfer first
    already_member,        // the invitee already belongs to the organization
    no_such_invitee,       // no account has this username
    invitation_closed,     // accepted, declined or revoked already
    invitation_expired,    // older than its time to live
    wrong_invitee,         // the invitation is for someone else
    balance_not_zero,      // an organization with money in its account cannot be deleted
    unavailable,           // the database failed
};

std::string_view code_name(Code code);

struct Error {
    Code code = Code::unavailable;
    std::string message;  // English, safe to show to a developer; never a database message
    // The store error behind `unavailable`, so in_transaction() lets the store retry.
    std::optional<store::Error> cause;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Code code, std::string message) {
    return std::unexpected(Error{code, std::move(message), std::nullopt});
}

// A store error as an org error (not_found stays not_found); the driver's text is only logged.
std::unexpected<Error> from_store(const store::Error& error);

// Runs `work` in one transaction (inline inside one): a refusal rolls back and comes back as
// is; a store error reaches the store unchanged, so a deadlock runs `work` again.
Result<void> in_transaction(store::Database& db,
                            const std::function<Result<void>(store::Database& tx)>& work);

}  // namespace idpd::org
