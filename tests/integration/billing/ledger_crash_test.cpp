// A kill -9 of the real idpd binary in the middle of a burst of top-ups (4 threads, SQLite):
// every top-up is either complete (ledger row and balance) or absent, the ledger sum equals the
// balance afterwards, and the database keeps working.
#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "billing/account_store.h"
#include "billing/ledger.h"
#include "store/open.h"
#include "support/process.h"

namespace idpd {
namespace {

using testing_support::Process;

class LedgerCrashTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("idpd-crash-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        env_["IDPD_DATABASE_URL"] = "sqlite:" + (dir_ / "idpd.db").string();
        env_["IDPD_SERVER_VAR_DIR"] = dir_.string();
    }

    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<Process> start(std::vector<std::string> args) {
        args.insert(args.begin(), IDPD_BINARY);
        return std::make_unique<Process>(args, env_, IDPD_SOURCE_DIR);
    }

    // Ledger rows of the burst so far; 0 while the schema is not there yet.
    std::int64_t rows_so_far(store::Database& db) {
        auto rows = db.query("SELECT COUNT(*) FROM billing_ledger", {});
        return rows ? rows->front().integer(0) : 0;
    }

    std::filesystem::path dir_;
    std::map<std::string, std::string> env_;
};

TEST_F(LedgerCrashTest, KillNineMidBurstLeavesEveryTopUpWholeOrAbsent) {
    auto burst = start({"billing", "bench", "--op", "top-up", "--count", "10000000", "--threads",
                        "4", "--owner-id", "77"});
    // Wait for the file, then for a few hundred top-ups to have committed.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(dir_ / "idpd.db") &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto watcher = store::open_database(store::DatabaseOptions{env_["IDPD_DATABASE_URL"]});
    ASSERT_TRUE(watcher) << watcher.error().message;
    while (rows_so_far(**watcher) < 300 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_GE(rows_so_far(**watcher), 300) << burst->err();
    burst->signal(SIGKILL);
    EXPECT_EQ(burst->wait(), 128 + SIGKILL);
    watcher->reset();

    auto db = store::open_database(store::DatabaseOptions{env_["IDPD_DATABASE_URL"]});
    ASSERT_TRUE(db) << db.error().message;
    auto check = (*db)->query("PRAGMA integrity_check", {});
    ASSERT_TRUE(check);
    EXPECT_EQ(check->front().text(0), "ok");
    auto account = billing::AccountStore(**db).find({billing::OwnerKind::user, 77});
    ASSERT_TRUE(account);
    auto rows = (*db)->query(
        "SELECT COUNT(*), COALESCE(SUM(amount_fen), 0), COALESCE(MAX(balance_after_fen), 0), "
        "COUNT(DISTINCT balance_after_fen) FROM billing_ledger WHERE account_id = ?",
        {account->id});
    ASSERT_TRUE(rows);
    const auto& r = rows->front();
    // Each committed top-up of 0.01 is one row; its balance_after is unique and the last one is
    // the balance: no row without its money, no money without its row.
    EXPECT_GE(r.integer(0), 300);
    EXPECT_EQ(r.integer(1), account->balance_fen);
    EXPECT_EQ(r.integer(0), account->balance_fen);
    EXPECT_EQ(r.integer(2), account->balance_fen);
    EXPECT_EQ(r.integer(3), r.integer(0));

    // The database is usable afterwards: another burst completes and still adds up.
    auto after = start({"billing", "bench", "--op", "top-up", "--count", "50", "--owner-id", "77"});
    EXPECT_EQ(after->wait(std::chrono::seconds(60)), 0) << after->err();
    EXPECT_NE(after->out().find("balance " + std::to_string(account->balance_fen + 50) + " fen"),
              std::string::npos)
        << after->out();
}

}  // namespace
}  // namespace idpd
