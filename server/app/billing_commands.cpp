#include "app/billing_commands.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include <unistd.h>

#include "app/billing_settings.h"
#include "app/serve.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "billing/coupon_store.h"
#include "billing/ledger.h"
#include "billing/payments.h"
#include "store/open.h"

namespace idpd::app {
namespace {

using std::chrono::sys_seconds;

struct BillingCommandState {
    CLI::App* coupon_create = nullptr;
    std::string amount;
    std::int64_t uses = 1;
    std::string valid_for = "30d";
    std::string starts_in = "0s";
    CLI::App* confirm = nullptr;
    std::string order_no;
    std::string reference;
    CLI::App* bench = nullptr;
    std::string op = "charge";
    std::int64_t count = 2000;
    std::size_t threads = 4;
    std::int64_t owner_id = 0;
};

sys_seconds now_s() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

int create_coupon(const BillingCommandState& s, store::Database& db) {
    auto amount = billing::parse_yuan(s.amount);
    if (!amount) {
        std::cerr << "idpd: billing coupon create: --amount: " << amount.error().message << '\n';
        return 2;
    }
    auto valid_for = parse_duration(s.valid_for);
    auto starts_in = parse_duration(s.starts_in);
    if (!valid_for || !starts_in) {
        std::cerr << "idpd: billing coupon create: --valid-for/--starts-in: expected a duration "
                     "like 30d or 12h\n";
        return 2;
    }
    const auto from = now_s() + std::chrono::duration_cast<std::chrono::seconds>(*starts_in);
    const auto until = from + std::chrono::duration_cast<std::chrono::seconds>(*valid_for);
    auto created = billing::CouponStore(db).create({*amount, from, until, s.uses}, now_s());
    if (!created) {
        std::cerr << "idpd: billing coupon create: " << created.error().message << '\n';
        return created.error().kind == billing::Error::Kind::invalid ? 2 : 1;
    }
    std::cout << "coupon " << created->id << ": " << created->code << " (worth "
              << billing::format_yuan(*amount) << ", " << s.uses << " uses, valid "
              << from.time_since_epoch().count() << ".." << until.time_since_epoch().count()
              << " epoch s; the code is shown only now)\n";
    return 0;
}

int confirm_transfer(const BillingCommandState& s, store::Database& db) {
    auto settled = billing::confirm_transfer(db, s.order_no, s.amount, s.reference,
                                             billing::PaymentSource{"operator cli", ""}, now_s());
    if (!settled) {
        std::cerr << "idpd: billing confirm-transfer: " << settled.error().message << '\n';
        return settled.error().kind == billing::Error::Kind::unavailable ? 1 : 2;
    }
    std::cout << "order " << settled->order.order_no
              << (settled->replayed
                      ? " was already paid; nothing credited again"
                      : " paid: credited " + billing::format_yuan(settled->order.amount_fen))
              << "; account " << settled->order.account_id << " balance "
              << billing::format_yuan(settled->entry.balance_after_fen) << '\n';
    return 0;
}

// Runs `count` postings of one fen on `threads` threads; returns how many failed.
std::int64_t run_postings(const BillingCommandState& s, store::Database& db, std::int64_t account,
                          const std::string& run) {
    std::atomic<std::int64_t> next{0};
    std::atomic<std::int64_t> failed{0};
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < s.threads; ++t) {
        workers.emplace_back([&] {
            for (auto i = next++; i < s.count; i = next++) {
                billing::Posting p{
                    account,
                    s.op == "charge" ? billing::EntryType::charge : billing::EntryType::top_up, 1,
                    "bench", run + ":" + std::to_string(i)};
                auto r = s.op == "charge" ? billing::debit(db, p, now_s())
                                          : billing::credit(db, p, now_s());
                if (!r) {
                    ++failed;
                }
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    return failed.load();
}

int bench(const BillingCommandState& s, store::Database& db, const Config& config) {
    const std::int64_t owner = s.owner_id > 0 ? s.owner_id : 1'000'000'000 + getpid();
    auto account = billing::AccountStore(db).open({billing::OwnerKind::user, owner},
                                                  plan_catalog(config).free_plan().id, now_s());
    if (!account) {
        std::cerr << "idpd: billing bench: " << account.error().message << '\n';
        return 1;
    }
    const std::string run = "bench:" + std::to_string(getpid()) + ":" +
                            std::to_string(now_s().time_since_epoch().count());
    if (s.op == "charge") {
        auto seeded = billing::credit(
            db, {account->id, billing::EntryType::top_up, s.count, "bench", run + ":seed"},
            now_s());
        if (!seeded) {
            std::cerr << "idpd: billing bench: " << seeded.error().message << '\n';
            return 1;
        }
    }
    const auto started = std::chrono::steady_clock::now();
    const auto failed = run_postings(s, db, account->id, run);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    auto after = billing::AccountStore(db).get(account->id);
    auto sum = billing::ledger_sum(db, account->id);
    if (!after || !sum) {
        std::cerr << "idpd: billing bench: cannot read the account back\n";
        return 1;
    }
    std::cout << s.op << ": " << s.count - failed << " postings (" << failed << " failed) on "
              << s.threads << " threads in " << took.count() << " s = "
              << static_cast<std::int64_t>(static_cast<double>(s.count - failed) / took.count())
              << "/s; account " << account->id << " balance " << after->balance_fen
              << " fen, ledger sum " << *sum << " fen\n";
    return (failed == 0 && *sum == after->balance_fen) ? 0 : 1;
}

void add_bench(CLI::App* billing_cmd, BillingCommandState& s) {
    s.bench = billing_cmd->add_subcommand("bench", "Measure ledger postings/s on the database");
    s.bench->add_option("--op", s.op, "charge (default) or top-up")
        ->check(CLI::IsMember({"charge", "top-up"}));
    s.bench->add_option("--count", s.count, "How many postings of 0.01 (default 2000)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
    s.bench->add_option("--threads", s.threads, "Parallel threads (default 4)")
        ->check(CLI::Range(1, 256));
    s.bench->add_option("--owner-id", s.owner_id, "The user whose account is used")
        ->check(CLI::PositiveNumber);
}

}  // namespace

CommandRunner add_billing_commands(CLI::App& cli) {
    auto state = std::make_shared<BillingCommandState>();
    auto* billing_cmd = cli.add_subcommand("billing", "Operate billing: coupons, benchmarks");
    billing_cmd->require_subcommand(1);
    auto* coupon = billing_cmd->add_subcommand("coupon", "Manage coupons");
    coupon->require_subcommand(1);
    state->coupon_create =
        coupon->add_subcommand("create", "Create a coupon; prints its code once");
    state->coupon_create->add_option("--amount", state->amount, "Worth, in yuan (e.g. 10.00)")
        ->required();
    state->coupon_create
        ->add_option("--uses", state->uses, "Total uses across accounts (default 1)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}));
    state->coupon_create->add_option("--valid-for", state->valid_for,
                                     "How long it can be redeemed (default 30d)");
    state->coupon_create->add_option("--starts-in", state->starts_in,
                                     "When it becomes valid, from now (default 0s)");
    state->confirm = billing_cmd->add_subcommand(
        "confirm-transfer", "Mark a bank-transfer order paid and credit its account once");
    state->confirm->add_option("order_no", state->order_no, "The order number (T…)")->required();
    state->confirm->add_option("--amount", state->amount, "The amount received, in yuan")
        ->required();
    state->confirm->add_option("--reference", state->reference, "The bank's reference")->required();
    add_bench(billing_cmd, *state);
    return [state](const Config& config) -> std::optional<int> {
        const bool create = state->coupon_create->parsed();
        const bool confirm = state->confirm->parsed();
        if (!create && !confirm && !state->bench->parsed()) {
            return std::nullopt;
        }
        auto db = open_configured_database(config, std::cerr);
        if (!db) {
            return 2;
        }
        if (confirm) {
            return confirm_transfer(*state, *db);
        }
        return create ? create_coupon(*state, *db) : bench(*state, *db, config);
    };
}

}  // namespace idpd::app
