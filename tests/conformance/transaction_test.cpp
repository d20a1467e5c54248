// transaction(): all or nothing, inline nesting, retries, and concurrent writers.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"
#include "store/database.h"
#include "store/dialect.h"

namespace idpd::conformance {
namespace {

using store::Database;
using store::Error;
using store::Result;
using testing::HasSubstr;

std::int64_t count_rows(Database& db, const std::string& table) {
    auto rows = db.query("SELECT COUNT(*) FROM " + table, {});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->front().integer(0) : -1;
}

void create_entries(Database& db) {
    auto created = db.execute("CREATE TABLE entries (id BIGINT PRIMARY KEY, note VARCHAR(64))", {});
    ASSERT_TRUE(created) << created.error().message;
}

Result<store::Executed> insert(Database& db, std::int64_t id) {
    return db.execute("INSERT INTO entries (id, note) VALUES (?, 'x')", {id});
}

TEST_P(StoreTest, TransactionCommitsWhenWorkSucceeds) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        for (std::int64_t id : {1, 2}) {
            if (auto inserted = insert(tx, id); !inserted) {
                return std::unexpected(inserted.error());
            }
        }
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(count_rows(db(), "entries"), 2);
}

TEST_P(StoreTest, TransactionErrorFromWorkRollsBackAndIsReturned) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = insert(tx, 1); !inserted) {
            return std::unexpected(inserted.error());
        }
        return store::fail(Error::Kind::not_found, "the account went away");
    });
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().kind, Error::Kind::not_found);
    EXPECT_EQ(done.error().message, "the account went away");
    EXPECT_EQ(count_rows(db(), "entries"), 0);
}

TEST_P(StoreTest, TransactionConflictInsideRollsBackEarlierWrites) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    ASSERT_TRUE(insert(db(), 7));
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = insert(tx, 1); !inserted) {
            return std::unexpected(inserted.error());
        }
        if (auto duplicate = insert(tx, 7); !duplicate) {
            return std::unexpected(duplicate.error());
        }
        return {};
    });
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().kind, Error::Kind::conflict);
    EXPECT_EQ(count_rows(db(), "entries"), 1);
}

TEST_P(StoreTest, NestedTransactionRunsInlineInTheOuterOne) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    bool inner_saw_outer_write = false;
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = insert(tx, 1); !inserted) {
            return std::unexpected(inserted.error());
        }
        auto inner = tx.transaction([&](Database& inner_tx) -> Result<void> {
            inner_saw_outer_write = count_rows(inner_tx, "entries") == 1;
            if (auto inserted = insert(inner_tx, 2); !inserted) {
                return std::unexpected(inserted.error());
            }
            return {};
        });
        if (!inner) {
            return inner;
        }
        // The inner "commit" was no commit: this undoes both writes.
        return store::fail(Error::Kind::invalid, "undo everything");
    });
    ASSERT_FALSE(done);
    EXPECT_TRUE(inner_saw_outer_write);
    EXPECT_EQ(count_rows(db(), "entries"), 0);
}

TEST_P(StoreTest, TransactionRetryErrorRunsWorkAgainOnACleanSlate) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    int calls = 0;
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        ++calls;
        // The same key each time: the second insert only succeeds if the first was undone.
        if (auto inserted = insert(tx, 1); !inserted) {
            return std::unexpected(inserted.error());
        }
        if (calls == 1) {
            return store::fail(Error::Kind::retry, "pretend deadlock");
        }
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(count_rows(db(), "entries"), 1);
}

TEST_P(StoreTest, TransactionRetriesAreBounded) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    int calls = 0;
    auto done = db().transaction([&](Database&) -> Result<void> {
        ++calls;
        return store::fail(Error::Kind::retry, "always busy");
    });
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().kind, Error::Kind::retry);
    EXPECT_THAT(done.error().message, HasSubstr("always busy"));
    EXPECT_GT(calls, 1);
    EXPECT_LT(calls, 50);
}

TEST_P(StoreTest, TransactionExceptionFromWorkRollsBackAndPropagates) {
    ASSERT_NO_FATAL_FAILURE(create_entries(db()));
    EXPECT_THROW(db().transaction([&](Database& tx) -> Result<void> {
        if (!insert(tx, 1)) {
            return store::fail(Error::Kind::invalid, "insert failed");
        }
        throw std::runtime_error("bug in work");
    }),
                 std::runtime_error);
    EXPECT_EQ(count_rows(db(), "entries"), 0);
    // The connection went back to the pool outside any transaction: it still works.
    auto done = db().transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = insert(tx, 2); !inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(count_rows(db(), "entries"), 1);
}

TEST_P(StoreTest, ConcurrentReadModifyWriteIncrementsReachTheExactTotal) {
    ASSERT_TRUE(
        db().execute("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)", {}));
    ASSERT_TRUE(db().execute("INSERT INTO counters (id, n) VALUES (1, 0)", {}));
    constexpr int threads = 8;
    constexpr int increments = 25;
    const std::string read_sql =
        "SELECT n FROM counters WHERE id = 1" + std::string(store::for_update(db().dialect()));
    std::atomic<int> failures{0};
    std::mutex first_error_mutex;
    std::string first_error;

    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < increments; ++i) {
                auto done = db().transaction([&](Database& tx) -> Result<void> {
                    auto rows = tx.query(read_sql, {});
                    if (!rows) {
                        return std::unexpected(rows.error());
                    }
                    const std::int64_t next = rows->front().integer(0) + 1;
                    if (auto written = tx.execute("UPDATE counters SET n = ? WHERE id = 1", {next});
                        !written) {
                        return std::unexpected(written.error());
                    }
                    return {};
                });
                if (!done) {
                    ++failures;
                    std::lock_guard lock(first_error_mutex);
                    if (first_error.empty()) {
                        first_error = done.error().message;
                    }
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    EXPECT_EQ(failures.load(), 0) << first_error;
    auto total = db().query("SELECT n FROM counters WHERE id = 1", {});
    ASSERT_TRUE(total) << total.error().message;
    EXPECT_EQ(total->front().integer(0), threads * increments);
}

// Both threads wait for each other (briefly) after their first update, so on MySQL each
// holds the row the other needs next: InnoDB picks a deadlock victim, and transaction()
// must run the victim again. On SQLite the first BEGIN IMMEDIATE simply makes the other wait.
TEST_P(StoreTest, OppositeOrderUpdatesBothCommitThroughADeadlock) {
    ASSERT_TRUE(
        db().execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)", {}));
    ASSERT_TRUE(db().execute("INSERT INTO accounts (id, n) VALUES (1, 0), (2, 0)", {}));

    std::mutex mutex;
    std::condition_variable arrived;
    int waiting = 0;
    auto meet_other_thread = [&] {
        std::unique_lock lock(mutex);
        ++waiting;
        arrived.notify_all();
        arrived.wait_for(lock, std::chrono::milliseconds(500), [&] { return waiting >= 2; });
    };
    auto transfer = [&](std::int64_t first, std::int64_t second) {
        int attempt = 0;
        return db().transaction([&](Database& tx) -> Result<void> {
            ++attempt;
            const std::string sql = "UPDATE accounts SET n = n + 1 WHERE id = ?";
            if (auto written = tx.execute(sql, {first}); !written) {
                return std::unexpected(written.error());
            }
            if (attempt == 1) {
                meet_other_thread();
            }
            if (auto written = tx.execute(sql, {second}); !written) {
                return std::unexpected(written.error());
            }
            return {};
        });
    };

    Result<void> one;
    Result<void> two;
    std::thread a([&] { one = transfer(1, 2); });
    std::thread b([&] { two = transfer(2, 1); });
    a.join();
    b.join();
    EXPECT_TRUE(one) << one.error().message;
    EXPECT_TRUE(two) << two.error().message;
    auto rows = db().query("SELECT n FROM accounts ORDER BY id", {});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].integer(0), 2);
    EXPECT_EQ((*rows)[1].integer(0), 2);
}

}  // namespace
}  // namespace idpd::conformance
