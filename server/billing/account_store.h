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

// Who a billing account belongs to. Every user and every organization has its own account.
enum class OwnerKind { user, org };

struct Owner {
    OwnerKind kind = OwnerKind::user;
    std::int64_t id = 0;
    bool operator==(const Owner&) const = default;
};

std::string_view owner_kind_name(OwnerKind kind);  // "user" | "org"
std::optional<OwnerKind> parse_owner_kind(std::string_view name);

struct Account {
    std::int64_t id = 0;
    Owner owner;
    std::int64_t balance_fen = 0;
    std::string plan;                      // a plan id from the [billing] config, e.g. "pro-16x"
    std::optional<std::string> next_plan;  // a downgrade that takes effect at period_end
    std::chrono::sys_seconds period_start{};
    std::chrono::sys_seconds period_end{};
    std::int64_t quota_used = 0;   // reported by relying services in this period
    std::int64_t bonus_quota = 0;  // one-time bonuses (WeChat binding), on top of the plan's
    std::chrono::sys_seconds created_at{};
};

// The same instant one calendar month later (31 Jan → 28/29 Feb: the day is clamped), UTC.
std::chrono::sys_seconds add_month(std::chrono::sys_seconds t);

// The billing_accounts table. Balances change only through the Ledger.
class AccountStore {
public:
    explicit AccountStore(store::Database& db) : db_(db) {}

    // The owner's account, created at `now` on `default_plan` with a zero balance and a period
    // of one month when it does not exist yet (two racing first calls get the same account).
    Result<Account> open(const Owner& owner, std::string_view default_plan,
                         std::chrono::sys_seconds now);
    // Errors: not_found.
    Result<Account> find(const Owner& owner);
    Result<Account> get(std::int64_t account_id);
    // As get(), the row locked until the end of the transaction `db` is in.
    Result<Account> get_for_update(std::int64_t account_id);

    // Accounts whose period ended at or before `now`, oldest first, at most `limit`.
    Result<std::vector<std::int64_t>> due_for_renewal(std::chrono::sys_seconds now,
                                                      std::size_t limit);

    // Field updates, for the plan rules (billing/subscriptions.cpp), inside their transaction.
    Result<void> set_plan(std::int64_t account_id, std::string_view plan,
                          const std::optional<std::string>& next_plan);
    Result<void> start_period(std::int64_t account_id, std::string_view plan,
                              std::chrono::sys_seconds start, std::chrono::sys_seconds end);
    // Adds `units` to this period's reported usage. Errors: invalid (units <= 0), not_found.
    Result<std::int64_t> add_usage(std::int64_t account_id, std::int64_t units);
    Result<void> add_bonus_quota(std::int64_t account_id, std::int64_t units);

private:
    Result<Account> select_one(std::string_view where, const store::Params& params);

    store::Database& db_;
};

}  // namespace idpd::billing
