#include "billing/subscriptions.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace idpd::billing {
namespace {

using std::chrono::sys_seconds;

std::string epoch_text(sys_seconds t) {
    return std::to_string(t.time_since_epoch().count());
}

Result<PlanChange> upgrade(store::Database& tx, const Account& account, const Plan& plan,
                           sys_seconds now) {
    if (plan.monthly_price_fen > 0) {
        auto paid = debit(tx,
                          Posting{account.id, EntryType::plan_charge, plan.monthly_price_fen,
                                  plan.id, "plan:" + plan.id + ":" + epoch_text(now)},
                          now);
        if (!paid) {
            if (paid.error().kind == Error::Kind::insufficient_balance) {
                return fail(Error::Kind::insufficient_balance,
                            "the balance is too low for " + plan.id + ": top up first");
            }
            return std::unexpected(paid.error());
        }
    }
    if (auto started = AccountStore(tx).start_period(account.id, plan.id, now, add_month(now));
        !started) {
        return std::unexpected(started.error());
    }
    return PlanChange::upgraded;
}

// The plan an account renews onto: its waiting downgrade, else its plan, else (a plan removed
// from the line-up) Free.
const Plan& renewal_plan(const Catalog& catalog, const Account& account) {
    if (account.next_plan) {
        if (const Plan* next = catalog.find(*account.next_plan)) {
            return *next;
        }
    }
    if (const Plan* current = catalog.find(account.plan)) {
        return *current;
    }
    return catalog.free_plan();
}

// One account's renewal in its own transaction; false when it fell to Free.
Result<bool> renew_one(store::Database& db, const Catalog& catalog, std::int64_t account_id,
                       sys_seconds now) {
    bool paid = true;
    auto done = in_transaction(db, [&](store::Database& tx) -> Result<void> {
        paid = true;
        auto account = AccountStore(tx).get_for_update(account_id);
        if (!account) {
            return std::unexpected(account.error());
        }
        if (account->period_end > now) {
            return {};  // another process renewed it first
        }
        sys_seconds start = account->period_end;
        while (add_month(start) <= now) {
            start = add_month(start);  // missed periods are skipped, never charged
        }
        const Plan* plan = &renewal_plan(catalog, *account);
        if (plan->monthly_price_fen > 0) {
            auto charged = debit(tx,
                                 Posting{account_id, EntryType::renewal, plan->monthly_price_fen,
                                         plan->id, "renewal:" + epoch_text(start)},
                                 now);
            if (!charged && charged.error().kind != Error::Kind::insufficient_balance) {
                return std::unexpected(charged.error());
            }
            if (!charged) {
                paid = false;
                plan = &catalog.free_plan();
            }
        }
        return AccountStore(tx).start_period(account_id, plan->id, start, add_month(start));
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return paid;
}

QuotaUsage usage_of(const Catalog& catalog, const Account& account) {
    const Plan* plan = catalog.find(account.plan);
    const std::int64_t quota = (plan != nullptr ? plan->quota : 0) + account.bonus_quota;
    return QuotaUsage{account.plan,         quota,
                      account.quota_used,   std::max<std::int64_t>(0, quota - account.quota_used),
                      account.period_start, account.period_end};
}

}  // namespace

Result<PlanChange> change_plan(store::Database& db, const Catalog& catalog, std::int64_t account_id,
                               std::string_view plan_id, sys_seconds now) {
    const Plan* wanted = catalog.find(plan_id);
    if (wanted == nullptr) {
        return fail(Error::Kind::invalid, Code::unknown_plan,
                    "unknown plan \"" + std::string(plan_id) + "\"");
    }
    PlanChange change = PlanChange::upgraded;
    auto done = in_transaction(db, [&](store::Database& tx) -> Result<void> {
        AccountStore accounts(tx);
        auto account = accounts.get_for_update(account_id);
        if (!account) {
            return std::unexpected(account.error());
        }
        const Plan* current = catalog.find(account->plan);
        const int rank = current != nullptr ? current->multiplier : 0;
        if (wanted->id == account->plan) {
            if (!account->next_plan) {
                return fail(Error::Kind::invalid, Code::same_plan,
                            "the account is already on " + wanted->id);
            }
            change = PlanChange::downgrade_cancelled;
            return accounts.set_plan(account_id, account->plan, std::nullopt);
        }
        if (wanted->multiplier < rank) {
            change = PlanChange::downgrade_scheduled;
            return accounts.set_plan(account_id, account->plan, wanted->id);
        }
        auto upgraded = upgrade(tx, *account, *wanted, now);
        if (!upgraded) {
            return std::unexpected(upgraded.error());
        }
        change = *upgraded;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return change;
}

RenewalReport renew_due(store::Database& db, const Catalog& catalog, sys_seconds now,
                        std::size_t limit) {
    RenewalReport report;
    auto due = AccountStore(db).due_for_renewal(now, limit);
    if (!due) {
        ++report.failed;
        return report;
    }
    for (const auto id : *due) {
        auto renewed = renew_one(db, catalog, id, now);
        if (!renewed) {
            spdlog::warn("billing: renewal of account {} failed: {}", id, renewed.error().message);
            ++report.failed;
        } else if (*renewed) {
            ++report.renewed;
        } else {
            ++report.fell_to_free;
        }
    }
    return report;
}

Result<QuotaUsage> quota_usage(store::Database& db, const Catalog& catalog,
                               std::int64_t account_id) {
    auto account = AccountStore(db).get(account_id);
    if (!account) {
        return std::unexpected(account.error());
    }
    return usage_of(catalog, *account);
}

Result<QuotaUsage> report_usage(store::Database& db, const Catalog& catalog,
                                std::int64_t account_id, std::int64_t units) {
    auto added = AccountStore(db).add_usage(account_id, units);
    if (!added) {
        return std::unexpected(added.error());
    }
    return quota_usage(db, catalog, account_id);
}

}  // namespace idpd::billing
