#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/database.h"

namespace idpd::store {

// Lends database connections to one caller at a time, for both backends.
//
// Connections are opened lazily, up to `size`: a database that is down costs nothing until it
// is used, and a connection discarded as broken is replaced by a fresh one on a later acquire,
// so the pool recovers by itself when the database returns. `Connection` must provide
// `bool is_broken() const`; a broken connection is closed when its lease ends. Every Lease must
// end before the pool is destroyed.
template <class Connection>
class ConnectionPool {
public:
    using Clock = std::chrono::steady_clock;
    using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

    class Lease {
    public:
        Lease(Lease&& other) noexcept
            : pool_(std::exchange(other.pool_, nullptr)),
              connection_(std::move(other.connection_)),
              idle_for_(other.idle_for_) {}

        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        ~Lease() {
            if (pool_ != nullptr) {
                pool_->give_back(std::move(connection_));
            }
        }

        Connection& operator*() const { return *connection_; }

        Connection* operator->() const { return connection_.get(); }

        // How long the connection sat unused in the pool before this lease; zero when new.
        Clock::duration idle_for() const { return idle_for_; }

        // Closes the connection now instead of returning it; its slot opens a new one later.
        void discard() { connection_.reset(); }

    private:
        friend class ConnectionPool;

        Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection,
              Clock::duration idle_for)
            : pool_(pool), connection_(std::move(connection)), idle_for_(idle_for) {}

        ConnectionPool* pool_;
        std::unique_ptr<Connection> connection_;
        Clock::duration idle_for_;
    };

    ConnectionPool(std::size_t size, std::chrono::milliseconds wait_timeout, Opener open)
        : size_(size), wait_timeout_(wait_timeout), open_(std::move(open)) {}

    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // A connection for the caller alone until the Lease ends: an idle one (the most recently
    // used, so it is likely still warm), else a new one while fewer than `size` are open, else
    // the next one returned within the wait timeout. Errors: unavailable (none became free in
    // time), or the opener's error (the database cannot be reached).
    Result<Lease> acquire() {
        std::unique_lock lock(mutex_);
        auto can_lend = [this] {
            return !idle_.empty() || open_count_ < size_;
        };
        if (!can_lend()) {
            ++waits_;
            if (!available_.wait_for(lock, wait_timeout_, can_lend)) {
                return fail(Error::Kind::unavailable, "no free database connection within " +
                                                          std::to_string(wait_timeout_.count()) +
                                                          " ms (all " + std::to_string(size_) +
                                                          " in use)");
            }
        }
        ++in_use_;
        if (!idle_.empty()) {
            Idle entry = std::move(idle_.back());
            idle_.pop_back();
            return Lease{this, std::move(entry.connection), Clock::now() - entry.since};
        }
        // Reserve the slot, then connect without the lock: connecting can take a while.
        ++open_count_;
        lock.unlock();
        auto opened = open_();
        if (!opened) {
            lock.lock();
            --open_count_;
            --in_use_;
            available_.notify_one();
            return std::unexpected(std::move(opened.error()));
        }
        return Lease{this, std::move(*opened), Clock::duration::zero()};
    }

    PoolStats stats() const {
        std::lock_guard lock(mutex_);
        return PoolStats{size_, open_count_, in_use_, waits_};
    }

private:
    struct Idle {
        std::unique_ptr<Connection> connection;
        Clock::time_point since;
    };

    void give_back(std::unique_ptr<Connection> connection) {
        if (connection != nullptr && connection->is_broken()) {
            connection.reset();
        }
        {
            std::lock_guard lock(mutex_);
            --in_use_;
            if (connection == nullptr) {
                --open_count_;
            } else {
                idle_.push_back(Idle{std::move(connection), Clock::now()});
            }
        }
        available_.notify_one();
    }

    const std::size_t size_;
    const std::chrono::milliseconds wait_timeout_;
    const Opener open_;

    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<Idle> idle_;
    std::size_t open_count_ = 0;
    std::size_t in_use_ = 0;
    std::uint64_t waits_ = 0;
};

}  // namespace idpd::store
