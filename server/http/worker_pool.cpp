#include "http/worker_pool.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>

#include <spdlog/spdlog.h>

namespace idpd::http {

struct WorkerPool::State {
    std::size_t queue_limit = 0;

    mutable std::mutex mutex;
    std::condition_variable work_ready;  // a task was queued, or the threads must stop
    std::condition_variable work_done;   // a task finished: drain() re-checks
    std::deque<Task> queue;
    std::size_t threads = 0;
    std::size_t busy = 0;
    std::uint64_t rejected = 0;
    bool accepting = true;
    bool stopping = false;
};

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit)
    : state_(std::make_shared<State>()) {
    state_->queue_limit = queue_limit;
    state_->threads = std::max<std::size_t>(threads, 1);
    threads_.reserve(state_->threads);
    for (std::size_t i = 0; i < state_->threads; ++i) {
        threads_.emplace_back([state = state_] { run(state); });
    }
}

WorkerPool::~WorkerPool() {
    drain_until(std::chrono::steady_clock::time_point::max());
}

bool WorkerPool::try_submit(Task task) {
    {
        std::lock_guard lock(state_->mutex);
        std::size_t idle = state_->threads - state_->busy;
        // Tasks already queued claim the idle threads first; only the rest count against the
        // limit.
        if (!state_->accepting || state_->queue.size() >= idle + state_->queue_limit) {
            ++state_->rejected;
            return false;
        }
        state_->queue.push_back(std::move(task));
    }
    state_->work_ready.notify_one();
    return true;
}

WorkerStats WorkerPool::stats() const {
    std::lock_guard lock(state_->mutex);
    return WorkerStats{state_->threads, state_->busy, state_->queue.size(), state_->rejected};
}

bool WorkerPool::drain(std::chrono::milliseconds timeout) {
    return drain_until(std::chrono::steady_clock::now() + timeout);
}

bool WorkerPool::drain_until(std::chrono::steady_clock::time_point deadline) {
    std::deque<Task> dropped;
    bool finished = false;
    {
        std::unique_lock lock(state_->mutex);
        auto idle = [&] {
            return state_->queue.empty() && state_->busy == 0;
        };
        if (state_->stopping) {
            return idle();  // drained before; the threads are joined or detached
        }
        state_->accepting = false;
        if (deadline == std::chrono::steady_clock::time_point::max()) {
            state_->work_done.wait(lock, idle);
            finished = true;
        } else {
            finished = state_->work_done.wait_until(lock, deadline, idle);
        }
        dropped.swap(state_->queue);
        state_->stopping = true;
    }
    state_->work_ready.notify_all();
    // Destroyed outside the lock: a task's captures may take locks of their own.
    dropped.clear();
    for (auto& thread : threads_) {
        if (!thread.joinable()) {
            continue;
        }
        if (finished) {
            thread.join();
        } else {
            thread.detach();
        }
    }
    threads_.clear();
    return finished;
}

void WorkerPool::run(const std::shared_ptr<State>& state) {
    for (;;) {
        Task task;
        {
            std::unique_lock lock(state->mutex);
            state->work_ready.wait(lock, [&] { return state->stopping || !state->queue.empty(); });
            if (state->stopping) {
                return;
            }
            task = std::move(state->queue.front());
            state->queue.pop_front();
            ++state->busy;
        }
        try {
            task();
        } catch (const std::exception& e) {
            spdlog::error("worker task threw: {}", e.what());
        } catch (...) {
            spdlog::error("worker task threw a non-standard exception");
        }
        // Destroy the captures before counting the thread idle, so drain() never returns while
        // they are still alive.
        task = nullptr;
        {
            std::lock_guard lock(state->mutex);
            --state->busy;
        }
        state->work_done.notify_all();
    }
}

}  // namespace idpd::http
