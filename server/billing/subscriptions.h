#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "billing/account_store.h"
#include "billing/ledger.h"
#include "billing/plans.h"
#include "store/database.h"

namespace idpd::billing {

// What a plan change did.
enum class PlanChange {
    upgraded,             // charged now; a new monthly period started now on the new plan
    downgrade_scheduled,  // next_plan set; the switch happens at period_end, nothing charged
    downgrade_cancelled,  // asked for the current plan while a downgrade was waiting
};

// Moves the account to `plan_id` at `now`, in one transaction. A larger plan charges its monthly
// price from the balance at once (refused with insufficient_balance, nothing changed, when the
// balance is short) and starts a fresh period; a smaller plan waits for the period's end.
// Errors: invalid (unknown plan, already on it), not_found, insufficient_balance, unavailable.
Result<PlanChange> change_plan(store::Database& db, const Catalog& catalog, std::int64_t account_id,
                               std::string_view plan_id, std::chrono::sys_seconds now);

struct RenewalReport {
    std::uint64_t renewed = 0;       // charged (or free) and moved to the next period
    std::uint64_t fell_to_free = 0;  // the balance could not pay: now on the Free plan
    std::uint64_t failed = 0;        // a database error: tried again next run
};

// Starts the next period of every account whose period ended by `now` (the janitor runs it):
// the plan is next_plan when a downgrade waits, its monthly price is debited under the key
// "renewal:<period start>", so two processes renewing at once charge once; a balance that
// cannot pay moves the account to the Free plan. Periods missed while nothing ran are skipped,
// not charged. Handles at most `limit` accounts per call.
RenewalReport renew_due(store::Database& db, const Catalog& catalog, std::chrono::sys_seconds now,
                        std::size_t limit = 500);

// The account's quota as shown beside its plan.
struct QuotaUsage {
    std::string plan;
    std::int64_t quota = 0;  // the plan's quota plus one-time bonuses
    std::int64_t used = 0;
    std::int64_t remaining = 0;  // never below 0
    std::chrono::sys_seconds period_start{};
    std::chrono::sys_seconds period_end{};
};

Result<QuotaUsage> quota_usage(store::Database& db, const Catalog& catalog,
                               std::int64_t account_id);

// Adds usage a relying service reports (units > 0) to the current period, and answers the new
// figures. Errors: invalid, not_found, unavailable.
Result<QuotaUsage> report_usage(store::Database& db, const Catalog& catalog,
                                std::int64_t account_id, std::int64_t units);

}  // namespace idpd::billing
