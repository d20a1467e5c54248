// ping() and pool_stats(), as /readyz and /metrics read them.
#include <atomic>
#include <thread>
#include <vector>

#include "conformance/backend.h"
#include "store/database.h"

namespace idpd::conformance {
namespace {

using store::Database;
using store::Result;

TEST_P(StoreTest, PingAnswers) {
    auto alive = db().ping();
    EXPECT_TRUE(alive) << alive.error().message;
}

TEST_P(StoreTest, PoolStatsCountTheConnectionsLentOut) {
    ASSERT_TRUE(db().query("SELECT 1", {}));
    const auto idle = db().pool_stats();
    EXPECT_GE(idle.size, 1U);
    EXPECT_GE(idle.open, 1U);
    EXPECT_LE(idle.open, idle.size);
    EXPECT_EQ(idle.in_use, 0U);

    store::PoolStats during{};
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        during = tx.pool_stats();
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(during.in_use, 1U);
    EXPECT_EQ(db().pool_stats().in_use, 0U);
}

TEST_P(StoreTest, ManyThreadsShareThePool) {
    constexpr int threads = 16;  // more than the default pool of 8: some wait their turn
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < 20; ++i) {
                auto rows = db().query("SELECT 1", {});
                if (!rows || rows->front().integer(0) != 1) {
                    ++failures;
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    EXPECT_EQ(failures.load(), 0);
    const auto stats = db().pool_stats();
    EXPECT_LE(stats.open, stats.size);
    EXPECT_EQ(stats.in_use, 0U);
}

}  // namespace
}  // namespace idpd::conformance
