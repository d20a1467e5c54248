#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "billing/error.h"
#include "billing/plans.h"
#include "billing/subscriptions.h"
#include "store/database.h"

namespace idpd::billing {

// Usage a relying service reports for one account, under its own idempotency key.
struct UsageReport {
    std::int64_t account_id = 0;
    std::int64_t units = 0;       // 1 .. 10^9
    std::string idempotency_key;  // 1–128 printable ASCII characters, unique per account
    std::string client_id;        // who reported it (kept with the report)
};

struct ReportOutcome {
    QuotaUsage usage;       // the account's figures after the report
    bool replayed = false;  // the key was used before: nothing was added now
};

// Adds the report's units to the account's quota_used exactly once per (account, key): the
// billing_quota_reports row (schema 0037) and the usage commit in one transaction, and the
// primary key decides between racing reports. The same key with other units is a conflict.
// Errors: invalid (units, key), not_found (account), conflict, unavailable.
Result<ReportOutcome> report_usage_once(store::Database& db, const Catalog& catalog,
                                        const UsageReport& report, std::chrono::sys_seconds now);

}  // namespace idpd::billing
