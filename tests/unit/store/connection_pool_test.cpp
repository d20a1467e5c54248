#include "store/connection_pool.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace idpd::store {
namespace {

using namespace std::chrono_literals;
using testing::HasSubstr;

struct FakeConnection {
    int id = 0;
    bool broken = false;

    bool is_broken() const { return broken; }
};

class PoolTest : public testing::Test {
protected:
    ConnectionPool<FakeConnection> make_pool(std::size_t size,
                                             std::chrono::milliseconds wait = 100ms) {
        return ConnectionPool<FakeConnection>(
            size, wait, [this]() -> Result<std::unique_ptr<FakeConnection>> {
                if (refuse_) {
                    return fail(Error::Kind::unavailable, "database is down");
                }
                return std::make_unique<FakeConnection>(FakeConnection{++opened_});
            });
    }

    std::atomic<int> opened_{0};
    std::atomic<bool> refuse_{false};
};

TEST_F(PoolTest, OpensLazilyAndReusesAReturnedConnection) {
    auto pool = make_pool(4);
    EXPECT_EQ(pool.stats().open, 0U);
    {
        auto lease = pool.acquire();
        ASSERT_TRUE(lease);
        EXPECT_EQ((*lease)->id, 1);
        EXPECT_EQ(lease->idle_for(), std::chrono::steady_clock::duration::zero());
        EXPECT_EQ(pool.stats().in_use, 1U);
    }
    auto again = pool.acquire();
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->id, 1);
    EXPECT_EQ(opened_, 1);
    EXPECT_EQ(pool.stats().open, 1U);
}

TEST_F(PoolTest, WaitsForAFreeConnectionThenTimesOutAsUnavailable) {
    auto pool = make_pool(1, 50ms);
    auto held = pool.acquire();
    ASSERT_TRUE(held);
    const auto start = std::chrono::steady_clock::now();
    auto second = pool.acquire();
    ASSERT_FALSE(second);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    EXPECT_EQ(second.error().kind, Error::Kind::unavailable);
    EXPECT_THAT(second.error().message, HasSubstr("no free database connection"));
    EXPECT_EQ(pool.stats().waits, 1U);
}

TEST_F(PoolTest, AWaitingCallerGetsTheConnectionWhenItIsReturned) {
    auto pool = make_pool(1, 2000ms);
    auto held = std::make_optional(*pool.acquire());
    std::thread releaser([&] {
        std::this_thread::sleep_for(20ms);
        held.reset();
    });
    auto second = pool.acquire();
    releaser.join();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ((*second)->id, 1);
}

TEST_F(PoolTest, DiscardedAndBrokenConnectionsAreReplaced) {
    auto pool = make_pool(1);
    {
        auto lease = pool.acquire();
        ASSERT_TRUE(lease);
        lease->discard();
    }
    EXPECT_EQ(pool.stats().open, 0U);
    {
        auto lease = pool.acquire();
        ASSERT_TRUE(lease);
        EXPECT_EQ((*lease)->id, 2);
        (*lease)->broken = true;
    }
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    EXPECT_EQ((*lease)->id, 3);
}

TEST_F(PoolTest, AFailedOpenFreesItsSlotAndTheNextOpenRecovers) {
    auto pool = make_pool(1);
    refuse_ = true;
    auto down = pool.acquire();
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().message, "database is down");
    EXPECT_EQ(pool.stats().open, 0U);
    EXPECT_EQ(pool.stats().in_use, 0U);
    refuse_ = false;
    auto up = pool.acquire();
    ASSERT_TRUE(up);
}

TEST_F(PoolTest, ReportsIdleTime) {
    auto pool = make_pool(1);
    { ASSERT_TRUE(pool.acquire()); }
    std::this_thread::sleep_for(10ms);
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    EXPECT_GE(lease->idle_for(), 10ms);
}

}  // namespace
}  // namespace idpd::store
