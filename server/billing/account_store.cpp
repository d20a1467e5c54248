#include "billing/account_store.h"

#include "store/dialect.h"
#include "store/epoch.h"

namespace idpd::billing {
namespace {

using std::chrono::sys_seconds;

using store::at;
using store::epoch;

constexpr std::string_view columns =
    "SELECT id, owner_kind, owner_id, balance_fen, plan, next_plan, period_start, period_end, "
    "quota_used, bonus_quota, created_at FROM billing_accounts ";

Account read(const store::Row& row) {
    Account a;
    a.id = row.integer(0);
    a.owner.kind = parse_owner_kind(row.text(1)).value_or(OwnerKind::user);
    a.owner.id = row.integer(2);
    a.balance_fen = row.integer(3);
    a.plan = row.text(4);
    a.next_plan = row.optional_text(5);
    a.period_start = at(row.integer(6));
    a.period_end = at(row.integer(7));
    a.quota_used = row.integer(8);
    a.bonus_quota = row.integer(9);
    a.created_at = at(row.integer(10));
    return a;
}

Result<void> changed_one(const store::Result<store::Executed>& done) {
    if (!done) {
        return from_store(done.error());
    }
    if (done->affected_rows == 0) {
        return fail(Error::Kind::not_found, "no such billing account");
    }
    return {};
}

}  // namespace

std::string_view owner_kind_name(OwnerKind kind) {
    return kind == OwnerKind::org ? "org" : "user";
}

std::optional<OwnerKind> parse_owner_kind(std::string_view name) {
    if (name == "user") {
        return OwnerKind::user;
    }
    if (name == "org") {
        return OwnerKind::org;
    }
    return std::nullopt;
}

sys_seconds add_month(sys_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    auto next = ymd.year() / ymd.month() / ymd.day() + std::chrono::months{1};
    if (!next.ok()) {
        next = next.year() / next.month() / std::chrono::last;
    }
    return std::chrono::sys_days{next} + (t - day);
}

Result<Account> AccountStore::select_one(std::string_view where, const store::Params& params) {
    auto rows = db_.query(std::string(columns) + std::string(where), params);
    if (!rows) {
        return from_store(rows.error());
    }
    if (rows->empty()) {
        return fail(Error::Kind::not_found, "no such billing account");
    }
    return read(rows->front());
}

Result<Account> AccountStore::find(const Owner& owner) {
    return select_one("WHERE owner_kind = ? AND owner_id = ?",
                      {std::string(owner_kind_name(owner.kind)), owner.id});
}

Result<Account> AccountStore::get(std::int64_t account_id) {
    return select_one("WHERE id = ?", {account_id});
}

Result<Account> AccountStore::get_for_update(std::int64_t account_id) {
    return select_one("WHERE id = ?" + std::string(store::for_update(db_.dialect())), {account_id});
}

Result<Account> AccountStore::open(const Owner& owner, std::string_view default_plan,
                                   sys_seconds now) {
    if (owner.id <= 0) {
        return fail(Error::Kind::invalid, "an account owner needs a positive id");
    }
    auto found = find(owner);
    if (found || found.error().kind != Error::Kind::not_found) {
        return found;
    }
    auto inserted = db_.execute(
        "INSERT INTO billing_accounts (owner_kind, owner_id, balance_fen, plan, period_start, "
        "period_end, created_at) VALUES (?, ?, 0, ?, ?, ?, ?)",
        {std::string(owner_kind_name(owner.kind)), owner.id, std::string(default_plan), epoch(now),
         epoch(add_month(now)), epoch(now)});
    // A conflict is another request creating the same account first: read theirs.
    if (!inserted && inserted.error().kind != store::Error::Kind::conflict) {
        return from_store(inserted.error());
    }
    return find(owner);
}

Result<std::vector<std::int64_t>> AccountStore::due_for_renewal(sys_seconds now,
                                                                std::size_t limit) {
    auto rows = db_.query(
        "SELECT id FROM billing_accounts WHERE period_end <= ? ORDER BY period_end, id LIMIT ?",
        {epoch(now), static_cast<std::int64_t>(limit)});
    if (!rows) {
        return from_store(rows.error());
    }
    std::vector<std::int64_t> ids;
    for (const auto& row : *rows) {
        ids.push_back(row.integer(0));
    }
    return ids;
}

Result<void> AccountStore::set_plan(std::int64_t account_id, std::string_view plan,
                                    const std::optional<std::string>& next_plan) {
    store::Value next = nullptr;
    if (next_plan) {
        next = *next_plan;
    }
    return changed_one(
        db_.execute("UPDATE billing_accounts SET plan = ?, next_plan = ? WHERE id = ?",
                    {std::string(plan), next, account_id}));
}

Result<void> AccountStore::start_period(std::int64_t account_id, std::string_view plan,
                                        sys_seconds start, sys_seconds end) {
    return changed_one(
        db_.execute("UPDATE billing_accounts SET plan = ?, next_plan = NULL, period_start = ?, "
                    "period_end = ?, quota_used = 0 WHERE id = ?",
                    {std::string(plan), epoch(start), epoch(end), account_id}));
}

Result<std::int64_t> AccountStore::add_usage(std::int64_t account_id, std::int64_t units) {
    if (units <= 0 || units > 1'000'000'000) {
        return fail(Error::Kind::invalid, "usage must be a positive number of units");
    }
    auto done = changed_one(
        db_.execute("UPDATE billing_accounts SET quota_used = quota_used + ? WHERE id = ?",
                    {units, account_id}));
    if (!done) {
        return std::unexpected(done.error());
    }
    auto account = get(account_id);
    if (!account) {
        return std::unexpected(account.error());
    }
    return account->quota_used;
}

Result<void> AccountStore::add_bonus_quota(std::int64_t account_id, std::int64_t units) {
    if (units <= 0) {
        return fail(Error::Kind::invalid, "a bonus must be a positive number of units");
    }
    return changed_one(
        db_.execute("UPDATE billing_accounts SET bonus_quota = bonus_quota + ? WHERE id = ?",
                    {units, account_id}));
}

}  // namespace idpd::billing
