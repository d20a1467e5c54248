#include "billing/ledger.h"

#include <array>
#include <utility>

namespace idpd::billing {
namespace {

using std::chrono::sys_seconds;

constexpr std::int64_t max_posting_fen = 1'000'000'000'000;
constexpr std::size_t max_key = 128;

constexpr std::array<std::pair<EntryType, std::string_view>, 5> names{{
    {EntryType::top_up, "top_up"},
    {EntryType::coupon, "coupon"},
    {EntryType::plan_charge, "plan_charge"},
    {EntryType::renewal, "renewal"},
    {EntryType::charge, "charge"},
}};

constexpr std::string_view entry_columns =
    "SELECT id, account_id, type, amount_fen, balance_after_fen, reference, idempotency_key, "
    "created_at FROM billing_ledger ";

Entry read(const store::Row& row) {
    return Entry{row.integer(0), row.integer(1),
                 row.text(2),    row.integer(3),
                 row.integer(4), row.text(5),
                 row.text(6),    sys_seconds{std::chrono::seconds{row.integer(7)}},
                 false};
}

Result<void> check(const Posting& p) {
    if (p.amount_fen <= 0 || p.amount_fen > max_posting_fen) {
        return fail(Error::Kind::invalid, "the amount must be more than 0 and at most 10^12 fen");
    }
    if (p.idempotency_key.empty() || p.idempotency_key.size() > max_key) {
        return fail(Error::Kind::invalid, "an idempotency key has 1 to 128 characters");
    }
    for (char c : p.idempotency_key) {
        if (c < 0x21 || c > 0x7e) {
            return fail(Error::Kind::invalid,
                        "an idempotency key is printable ASCII without spaces");
        }
    }
    if (p.reference.size() > 128) {
        return fail(Error::Kind::invalid, "a reference has at most 128 characters");
    }
    return {};
}

// The row this key already wrote on the account, if any.
Result<std::optional<Entry>> earlier(store::Database& tx, const Posting& p) {
    auto rows =
        tx.query(std::string(entry_columns) + "WHERE account_id = ? AND idempotency_key = ?",
                 {p.account_id, p.idempotency_key});
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return std::optional<Entry>{};
    }
    return read(rows->front());
}

// The balance change itself. A debit only where the balance covers it; zero rows changed means
// no account or not enough money, told apart by one more read.
Result<void> move_balance(store::Database& tx, const Posting& p, std::int64_t signed_fen) {
    auto changed =
        signed_fen > 0
            ? tx.execute("UPDATE billing_accounts SET balance_fen = balance_fen + ? WHERE id = ?",
                         {signed_fen, p.account_id})
            : tx.execute(
                  "UPDATE billing_accounts SET balance_fen = balance_fen - ? "
                  "WHERE id = ? AND balance_fen >= ?",
                  {p.amount_fen, p.account_id, p.amount_fen});
    if (!changed) {
        return from_store(changed.error());
    }
    if (changed->affected_rows == 1) {
        return {};
    }
    auto exists = tx.query("SELECT balance_fen FROM billing_accounts WHERE id = ?", {p.account_id});
    if (!exists) {
        return from_store(exists.error());
    }
    if (exists->empty()) {
        return fail(Error::Kind::not_found, "no such billing account");
    }
    return fail(Error::Kind::insufficient_balance, "the balance is too low for this payment");
}

Result<Entry> post(store::Database& db, const Posting& p, std::int64_t signed_fen,
                   sys_seconds now) {
    if (auto ok = check(p); !ok) {
        return std::unexpected(ok.error());
    }
    Entry entry;
    auto done = in_transaction(db, [&](store::Database& tx) -> Result<void> {
        auto first = earlier(tx, p);
        if (!first) {
            return std::unexpected(first.error());
        }
        if (*first) {
            if ((*first)->type != entry_type_name(p.type) || (*first)->amount_fen != signed_fen) {
                return fail(Error::Kind::conflict,
                            "this idempotency key was already used for a different payment");
            }
            entry = **first;
            entry.replayed = true;
            return {};
        }
        if (auto moved = move_balance(tx, p, signed_fen); !moved) {
            return moved;
        }
        auto balance =
            tx.query("SELECT balance_fen FROM billing_accounts WHERE id = ?", {p.account_id});
        if (!balance || balance->empty()) {
            return from_store(balance ? store::Error{store::Error::Kind::not_found, "account gone"}
                                      : balance.error());
        }
        entry = Entry{0,
                      p.account_id,
                      std::string(entry_type_name(p.type)),
                      signed_fen,
                      balance->front().integer(0),
                      p.reference,
                      p.idempotency_key,
                      now,
                      false};
        auto inserted = tx.execute(
            "INSERT INTO billing_ledger (account_id, type, amount_fen, balance_after_fen, "
            "reference, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {p.account_id, entry.type, signed_fen, entry.balance_after_fen, p.reference,
             p.idempotency_key, now.time_since_epoch().count()});
        if (!inserted && inserted.error().kind == store::Error::Kind::conflict) {
            // The same key committed by a racing request since our read: run again, and the
            // read finds its row.
            return from_store({store::Error::Kind::retry, "idempotency key raced"});
        }
        if (!inserted) {
            return from_store(inserted.error());
        }
        entry.id = inserted->last_insert_id;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return entry;
}

}  // namespace

std::string_view entry_type_name(EntryType type) {
    for (const auto& [t, name] : names) {
        if (t == type) {
            return name;
        }
    }
    return "charge";
}

std::optional<EntryType> parse_entry_type(std::string_view name) {
    for (const auto& [t, n] : names) {
        if (n == name) {
            return t;
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> entry_type_names() {
    std::vector<std::string_view> out;
    for (const auto& entry : names) {
        out.push_back(entry.second);
    }
    return out;
}

Result<Entry> credit(store::Database& db, const Posting& posting, sys_seconds now) {
    return post(db, posting, posting.amount_fen, now);
}

Result<Entry> debit(store::Database& db, const Posting& posting, sys_seconds now) {
    return post(db, posting, -posting.amount_fen, now);
}

Result<EntryPage> list_entries(store::Database& db, std::int64_t account_id,
                               const EntryFilter& filter) {
    std::string where = "WHERE account_id = ?";
    store::Params params{account_id};
    if (filter.type) {
        where += " AND type = ?";
        params.emplace_back(std::string(entry_type_name(*filter.type)));
    }
    auto count = db.query("SELECT COUNT(*) FROM billing_ledger " + where, params);
    if (!count) {
        return from_store(count.error());
    }
    params.emplace_back(static_cast<std::int64_t>(filter.limit));
    params.emplace_back(static_cast<std::int64_t>(filter.offset));
    auto rows =
        db.query(std::string(entry_columns) + where + " ORDER BY id DESC LIMIT ? OFFSET ?", params);
    if (!rows) {
        return from_store(rows.error());
    }
    EntryPage page;
    page.total = static_cast<std::size_t>(count->front().integer(0));
    for (const auto& row : *rows) {
        page.entries.push_back(read(row));
    }
    return page;
}

Result<std::int64_t> ledger_sum(store::Database& db, std::int64_t account_id) {
    auto rows =
        db.query("SELECT COALESCE(SUM(amount_fen), 0) FROM billing_ledger WHERE account_id = ?",
                 {account_id});
    if (!rows) {
        return from_store(rows.error());
    }
    return rows->front().integer(0);
}

}  // namespace idpd::billing
