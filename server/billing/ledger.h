#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/error.h"
#include "store/database.h"

namespace idpd::billing {

// Why a balance changed. The stored name is what the records page filters on.
enum class EntryType {
    top_up,       // "top_up": a paid order or a confirmed bank transfer
    coupon,       // "coupon": a redeemed coupon
    plan_charge,  // "plan_charge": an upgrade, charged at once
    renewal,      // "renewal": a plan's price at the start of a period
    charge,       // "charge": any other debit (a service's usage charge)
};

std::string_view entry_type_name(EntryType type);
std::optional<EntryType> parse_entry_type(std::string_view name);
std::vector<std::string_view> entry_type_names();

// One balance change as a caller asks for it. `amount_fen` is positive: credit() adds it,
// debit() takes it away.
struct Posting {
    std::int64_t account_id = 0;
    EntryType type = EntryType::charge;
    std::int64_t amount_fen = 0;
    std::string reference;        // what caused it: an order number, a coupon code, a plan id
    std::string idempotency_key;  // 1–128 printable ASCII characters, unique per account
};

// One ledger row.
struct Entry {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string type;
    std::int64_t amount_fen = 0;  // signed: credit > 0, debit < 0
    std::int64_t balance_after_fen = 0;
    std::string reference;
    std::string idempotency_key;
    std::chrono::sys_seconds created_at{};
    bool replayed = false;  // this call found the key already used and changed nothing
};

// Writes one ledger row and changes the balance, both in one transaction of `db` (inline when
// `db` is a caller's `tx`, so an order or a coupon can commit with its money). A key already
// used on the account returns that first row (replayed = true) and changes nothing, provided
// the type and amount are the same; otherwise conflict. A debit larger than the balance is
// insufficient_balance (decided by `UPDATE … WHERE balance_fen >= ?`, never by a read).
// Errors: invalid (amount <= 0 or above 10^12, a bad key), not_found (no account),
// insufficient_balance, conflict, unavailable.
Result<Entry> credit(store::Database& db, const Posting& posting, std::chrono::sys_seconds now);
Result<Entry> debit(store::Database& db, const Posting& posting, std::chrono::sys_seconds now);

// Which rows list_entries() returns: newest first, `limit` from `offset`.
struct EntryFilter {
    std::optional<EntryType> type;
    std::size_t offset = 0;
    std::size_t limit = 20;
};

struct EntryPage {
    std::vector<Entry> entries;
    std::size_t total = 0;  // rows matching the filter, for the pager
};

Result<EntryPage> list_entries(store::Database& db, std::int64_t account_id,
                               const EntryFilter& filter);

// The sum of every amount in the account's ledger: equal to its balance, always.
Result<std::int64_t> ledger_sum(store::Database& db, std::int64_t account_id);

}  // namespace idpd::billing
