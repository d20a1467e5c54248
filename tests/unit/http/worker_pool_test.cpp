#include "http/worker_pool.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

using std::chrono::milliseconds;

// Blocks tasks until released, so the tests control when work finishes.
class Gate {
public:
    void wait() { released_.wait(); }

    void open() { promise_.set_value(); }

private:
    std::promise<void> promise_;
    std::shared_future<void> released_ = promise_.get_future().share();
};

template <typename Predicate>
bool eventually(Predicate done) {
    auto deadline = std::chrono::steady_clock::now() + milliseconds(5000);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(milliseconds(1));
    }
    return true;
}

TEST(WorkerPool, RunsTasksOnItsThreads) {
    WorkerPool pool(2, 4);
    std::promise<std::thread::id> ran_on;

    ASSERT_TRUE(pool.try_submit([&] { ran_on.set_value(std::this_thread::get_id()); }));

    EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(WorkerPool, RefusesWhenEveryThreadIsBusyAndTheQueueIsFull) {
    WorkerPool pool(2, 1);
    Gate gate;

    EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
    EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
    ASSERT_TRUE(eventually([&] { return pool.stats().busy == 2; }));
    EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
    EXPECT_FALSE(pool.try_submit([] {}));

    auto stats = pool.stats();
    EXPECT_EQ(stats.threads, 2u);
    EXPECT_EQ(stats.busy, 2u);
    EXPECT_EQ(stats.queued, 1u);
    EXPECT_EQ(stats.rejected, 1u);
    gate.open();
}

TEST(WorkerPool, DrainFinishesQueuedAndRunningTasks) {
    WorkerPool pool(1, 8);
    std::atomic<int> done = 0;
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(pool.try_submit([&] {
            std::this_thread::sleep_for(milliseconds(20));
            ++done;
        }));
    }

    EXPECT_TRUE(pool.drain(milliseconds(5000)));

    EXPECT_EQ(done, 5);
    EXPECT_FALSE(pool.try_submit([] {}));
    EXPECT_TRUE(pool.drain(milliseconds(0)));  // again: returns at once
}

TEST(WorkerPool, DrainGivesUpAtTheTimeoutAndDropsWhatHasNotStarted) {
    WorkerPool pool(1, 8);
    Gate gate;
    std::atomic<bool> second_ran = false;
    ASSERT_TRUE(pool.try_submit([&] { gate.wait(); }));
    ASSERT_TRUE(pool.try_submit([&] { second_ran = true; }));

    auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(pool.drain(milliseconds(100)));
    EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));

    gate.open();  // the detached thread finishes its task and exits
    std::this_thread::sleep_for(milliseconds(50));
    EXPECT_FALSE(second_ran);
}

TEST(WorkerPool, ATaskThatThrowsDoesNotKillItsThread) {
    WorkerPool pool(1, 4);
    std::promise<void> after;

    ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(pool.try_submit([&] { after.set_value(); }));

    EXPECT_EQ(after.get_future().wait_for(milliseconds(5000)), std::future_status::ready);
}

}  // namespace
}  // namespace idpd::http
