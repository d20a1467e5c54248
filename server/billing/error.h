// billing: accounts (one per user or organization), their ledger of integer-fen balance changes,
// plans and quota periods, and coupons. Money moves only inside a database transaction that
// writes the ledger row and the balance together, under an idempotency key.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"
#include "store/error.h"

namespace idpd::billing {

// Which refusal it was, for callers that word each one differently (the billing pages, the
// API): a stable code instead of the message's text. `none` where the kind says enough.
enum class Code {
    none,
    unknown_plan,             // invalid: no plan has this id
    same_plan,                // invalid: the account is on this plan already
    coupon_unknown,           // not_found: no coupon has this code
    coupon_used_up,           // conflict: every use of the coupon is taken
    coupon_already_redeemed,  // conflict: this account redeemed it before
    coupon_expired,           // invalid: past valid_until
    coupon_not_yet_valid,     // invalid: before valid_from
};

std::string_view code_name(Code code);

// What went wrong, in the few kinds a caller (a page, the API, the CLI) answers differently.
struct Error {
    enum class Kind {
        invalid,               // bad input (an amount, a plan name, a key): `message` says which
        not_found,             // no such account, coupon or order
        insufficient_balance,  // a debit larger than the balance: nothing was written
        conflict,              // an idempotency key reused for a different request, a coupon
                               // already redeemed by this account, an exhausted coupon
        unavailable,           // the database failed; whether anything was written is unknown
                               // only when the commit itself was lost (retry with the same key)
    };
    Kind kind;
    std::string message;  // safe to show: it never holds a database message
    // The store error behind an `unavailable` one, so in_transaction() can hand a retry
    // (deadlock, busy) back to the store, which then runs the work again.
    std::optional<store::Error> cause;
    Code code = Code::none;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, std::string message) {
    return std::unexpected(Error{kind, std::move(message), std::nullopt, Code::none});
}

inline std::unexpected<Error> fail(Error::Kind kind, Code code, std::string message) {
    return std::unexpected(Error{kind, std::move(message), std::nullopt, code});
}

// A store error as a billing error; the driver's message goes to the log only.
std::unexpected<Error> from_store(const store::Error& error);

// Runs `work` in one transaction on `db` (inline when `db` is already a transaction's `tx`):
// commit when it returns a value; roll back when it returns an error, which comes back as is.
// A store error inside `work` (returned through from_store) reaches the store unchanged, so a
// deadlock or a busy database runs `work` again.
Result<void> in_transaction(store::Database& db,
                            const std::function<Result<void>(store::Database& tx)>& work);

}  // namespace idpd::billing
