#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace idpd::http {

// A snapshot for /metrics.
struct WorkerStats {
    std::size_t threads = 0;     // threads started
    std::size_t busy = 0;        // threads running a task now
    std::size_t queued = 0;      // accepted tasks no thread has picked up yet
    std::uint64_t rejected = 0;  // try_submit() calls refused since start
};

// A fixed set of threads that run blocking work (SQL, Argon2id, upstream calls) off the event
// loop. The queue is bounded, so overload is refused at once (the server answers 503) instead of
// piling up requests whose clients gave up long ago.
class WorkerPool {
public:
    using Task = std::move_only_function<void()>;

    // Starts `threads` threads (at least one). Besides one task per idle thread, at most
    // `queue_limit` tasks wait.
    WorkerPool(std::size_t threads, std::size_t queue_limit);

    // Runs every task already accepted, then joins. Call drain() first for a bounded wait.
    ~WorkerPool();

    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues `task` and returns true, or returns false (and drops the task) when the queue is
    // full or drain() has begun. Never blocks; safe from any thread. A task must not throw: one
    // that does is logged and its thread carries on.
    bool try_submit(Task task);

    // Safe from any thread.
    WorkerStats stats() const;

    // Stops accepting tasks and waits up to `timeout` for the queued and running ones to
    // finish, then joins the threads. Returns false if time ran out: the tasks still queued are
    // dropped without running, and the threads still running a task are detached (they exit
    // when it returns). Later calls return at once. Call from the owning thread only.
    bool drain(std::chrono::milliseconds timeout);

private:
    struct State;

    static void run(const std::shared_ptr<State>& state);
    bool drain_until(std::chrono::steady_clock::time_point deadline);

    // Shared with the threads, so a detached thread never outlives what it touches.
    std::shared_ptr<State> state_;
    std::vector<std::thread> threads_;
};

}  // namespace idpd::http
