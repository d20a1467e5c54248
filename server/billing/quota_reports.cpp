#include "billing/quota_reports.h"

#include "billing/account_store.h"

namespace idpd::billing {
namespace {

constexpr std::int64_t max_units = 1'000'000'000;

Result<void> check(const UsageReport& report) {
    if (report.units <= 0 || report.units > max_units) {
        return fail(Error::Kind::invalid, "units must be a whole number from 1 to 10^9");
    }
    const auto& key = report.idempotency_key;
    if (key.empty() || key.size() > 128) {
        return fail(Error::Kind::invalid, "an idempotency key has 1 to 128 characters");
    }
    for (char c : key) {
        if (c < 0x21 || c > 0x7e) {
            return fail(Error::Kind::invalid,
                        "an idempotency key is printable ASCII without spaces");
        }
    }
    return {};
}

}  // namespace

Result<ReportOutcome> report_usage_once(store::Database& db, const Catalog& catalog,
                                        const UsageReport& report, std::chrono::sys_seconds now) {
    if (auto ok = check(report); !ok) {
        return std::unexpected(ok.error());
    }
    bool replayed = false;
    auto done = in_transaction(db, [&](store::Database& tx) -> Result<void> {
        replayed = false;
        auto earlier = tx.query(
            "SELECT units FROM billing_quota_reports WHERE account_id = ? AND idempotency_key = ?",
            {report.account_id, report.idempotency_key});
        if (!earlier) {
            return from_store(earlier.error());
        }
        if (!earlier->empty()) {
            if (earlier->front().integer(0) != report.units) {
                return fail(Error::Kind::conflict,
                            "this idempotency key was already used for other units");
            }
            replayed = true;
            return {};
        }
        // The account first: an unknown one is not_found before anything is written.
        AccountStore accounts(tx);
        if (auto added = accounts.add_usage(report.account_id, report.units); !added) {
            return std::unexpected(added.error());
        }
        auto inserted = tx.execute(
            "INSERT INTO billing_quota_reports (account_id, idempotency_key, units, client_id, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            {report.account_id, report.idempotency_key, report.units, report.client_id,
             now.time_since_epoch().count()});
        if (!inserted && inserted.error().kind == store::Error::Kind::conflict) {
            // A racing report with this key committed since our read: run again to find it.
            return from_store({store::Error::Kind::retry, "quota report key raced"});
        }
        if (!inserted) {
            return from_store(inserted.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    auto usage = quota_usage(db, catalog, report.account_id);
    if (!usage) {
        return std::unexpected(usage.error());
    }
    return ReportOutcome{std::move(*usage), replayed};
}

}  // namespace idpd::billing
