// Behaviour only MariaDB/MySQL can show: a COMMIT that fails, connections the server drops,
// and a server that is not there.
#include <chrono>
#include <string>
#include <thread>

#include <gmock/gmock.h>

#include "conformance/backend.h"
#include "store/database.h"
#include "store/open.h"

namespace idpd::conformance {
namespace {

using store::Database;
using store::Error;
using store::Result;
using testing::HasSubstr;

std::unique_ptr<Database> open_second(const std::string& url) {
    store::DatabaseOptions options;
    options.url = url;
    auto db = store::open_database(options);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
}

std::int64_t connection_id(Database& db) {
    auto rows = db.query("SELECT CONNECTION_ID()", {});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->front().integer(0) : 0;
}

std::int64_t count_rows(Database& db) {
    auto rows = db.query("SELECT COUNT(*) FROM notes", {});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->front().integer(0) : -1;
}

// Connector/C++ 1.1.12's Connection::commit() ignores the server's answer: had transaction()
// used it, this COMMIT on a killed connection would have "succeeded" with nothing written.
TEST(MariaDb, CommitThatFailsIsReportedWritesNothingAndThePoolRecovers) {
    auto scratch = mariadb_scratch();
    ASSERT_NE(scratch.db, nullptr);
    Database& db = *scratch.db;
    ASSERT_TRUE(db.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY)", {}));
    auto killer = open_second(scratch.url);
    ASSERT_NE(killer, nullptr);

    int calls = 0;
    auto done = db.transaction([&](Database& tx) -> Result<void> {
        ++calls;
        if (auto inserted = tx.execute("INSERT INTO notes (id) VALUES (1)", {}); !inserted) {
            return std::unexpected(inserted.error());
        }
        const auto victim = connection_id(tx);
        if (auto killed = killer->execute("KILL " + std::to_string(victim), {}); !killed) {
            return std::unexpected(killed.error());
        }
        return {};  // work succeeded; the COMMIT that follows cannot
    });
    ASSERT_FALSE(done) << "a COMMIT on a killed connection was reported as success";
    EXPECT_EQ(done.error().kind, Error::Kind::unavailable) << done.error().message;
    EXPECT_THAT(done.error().message, HasSubstr("COMMIT"));
    EXPECT_EQ(calls, 1) << "a commit whose outcome is unknown must not be retried";

    // The broken connection was discarded: the next calls get a fresh one and work.
    EXPECT_EQ(count_rows(db), 0);
    auto again = db.transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = tx.execute("INSERT INTO notes (id) VALUES (2)", {}); !inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(count_rows(db), 1);
}

TEST(MariaDb, IdleConnectionClosedByTheServerIsReplacedWithoutAnError) {
    auto scratch = mariadb_scratch();
    ASSERT_NE(scratch.db, nullptr);
    Database& db = *scratch.db;
    auto killer = open_second(scratch.url);
    ASSERT_NE(killer, nullptr);
    const auto victim = connection_id(db);  // the pool's only connection, idle again after this
    ASSERT_TRUE(killer->execute("KILL " + std::to_string(victim), {}));

    // Past the idle time after which the pool pings a connection before lending it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto rows = db.query("SELECT CONNECTION_ID()", {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_NE(rows->front().integer(0), victim);
    EXPECT_EQ(db.pool_stats().open, 1U);
}

TEST(MariaDb, MissingSocketFailsAsUnavailableWithinTheConnectTimeout) {
    store::DatabaseOptions options;
    options.url = "mysql://root@localhost/idpd_test?socket=/nonexistent/idpd/mysqld.sock";
    options.connect_timeout = std::chrono::milliseconds(1000);
    const auto start = std::chrono::steady_clock::now();
    auto db = store::open_database(options);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, Error::Kind::unavailable);
    EXPECT_THAT(db.error().message, HasSubstr("/nonexistent/idpd/mysqld.sock"));
    EXPECT_LT(elapsed, options.connect_timeout + std::chrono::milliseconds(500));
}

TEST(MariaDb, WrongPasswordFailsAsUnavailableWithoutShowingIt) {
    auto scratch = mariadb_scratch();
    ASSERT_NE(scratch.db, nullptr);
    auto url = scratch.url;
    url.replace(url.find("root@"), 5, "nobody:s3cret-pass@");
    store::DatabaseOptions options;
    options.url = url;
    auto db = store::open_database(options);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, Error::Kind::unavailable);
    EXPECT_THAT(db.error().message, testing::Not(HasSubstr("s3cret-pass")));
}

TEST(MariaDb, MigrateMakesTheDatabaseDefaultCollationBinary) {
    auto scratch = mariadb_scratch();  // created with the server's default collation
    ASSERT_NE(scratch.db, nullptr);
    auto rows = scratch.db->query("SELECT @@character_set_database, @@collation_database", {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->front().text(0), "utf8mb4");
    EXPECT_EQ(rows->front().text(1), "utf8mb4_bin");
}

TEST(MariaDb, SessionSettingsAreStrictUtcAndReadCommitted) {
    auto scratch = mariadb_scratch();
    ASSERT_NE(scratch.db, nullptr);
    auto rows = scratch.db->query(
        "SELECT @@session.sql_mode, @@session.time_zone, @@session.tx_isolation, "
        "@@session.collation_connection",
        {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_THAT(rows->front().text(0), HasSubstr("STRICT_ALL_TABLES"));
    EXPECT_EQ(rows->front().text(1), "+00:00");
    EXPECT_EQ(rows->front().text(2), "READ-COMMITTED");
    EXPECT_EQ(rows->front().text(3), "utf8mb4_bin");

    // Strict: a value too long for its column is refused, not cut.
    ASSERT_TRUE(scratch.db->execute("CREATE TABLE short_text (s VARCHAR(3))", {}));
    auto too_long =
        scratch.db->execute("INSERT INTO short_text (s) VALUES (?)", {std::string{"abcdef"}});
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().kind, Error::Kind::invalid);
}

}  // namespace
}  // namespace idpd::conformance
