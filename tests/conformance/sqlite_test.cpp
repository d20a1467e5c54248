// Behaviour only SQLite can show: deferred constraints at COMMIT, lock waits between two
// processes, the file it creates, and the in-memory database.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <unistd.h>

#include "conformance/backend.h"
#include "store/database.h"
#include "store/open.h"

namespace idpd::conformance {
namespace {

using store::Database;
using store::Error;
using store::Result;

std::unique_ptr<Database> open_url(
    const std::string& url, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5)) {
    store::DatabaseOptions options;
    options.url = url;
    options.busy_timeout = busy_timeout;
    auto db = store::open_database(options);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
}

std::string pragma(Database& db, const std::string& name) {
    auto rows = db.query("PRAGMA " + name, {});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? rows->front().text(0) : "";
}

// SQLite checks a DEFERRABLE INITIALLY DEFERRED foreign key only at COMMIT, so COMMIT itself
// fails: transaction() must report it, not assume a commit always works.
TEST(Sqlite, CommitRefusedByADeferredForeignKeyIsConflictAndWritesNothing) {
    auto scratch = sqlite_scratch();
    ASSERT_NE(scratch.db, nullptr);
    Database& db = *scratch.db;
    ASSERT_TRUE(db.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)", {}));
    ASSERT_TRUE(
        db.execute("CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER "
                   "REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)",
                   {}));
    auto done = db.transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = tx.execute("INSERT INTO children (id, parent_id) VALUES (1, 42)", {});
            !inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().kind, Error::Kind::conflict) << done.error().message;
    auto rows = db.query("SELECT COUNT(*) FROM children", {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->front().integer(0), 0);
}

TEST(Sqlite, WriteBlockedPastTheBusyTimeoutIsRetry) {
    auto scratch = sqlite_scratch();
    ASSERT_NE(scratch.db, nullptr);
    ASSERT_TRUE(scratch.db->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)", {}));
    // A second process on the same file, with a short busy timeout.
    auto other = open_url(scratch.url, std::chrono::milliseconds(50));
    ASSERT_NE(other, nullptr);

    Result<store::Executed> blocked_write;
    Result<void> blocked_transaction;
    auto done = scratch.db->transaction([&](Database& tx) -> Result<void> {
        if (auto inserted = tx.execute("INSERT INTO notes (id) VALUES (1)", {}); !inserted) {
            return std::unexpected(inserted.error());
        }
        blocked_write = other->execute("INSERT INTO notes (id) VALUES (2)", {});
        blocked_transaction = other->transaction([](Database&) -> Result<void> { return {}; });
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    ASSERT_FALSE(blocked_write);
    EXPECT_EQ(blocked_write.error().kind, Error::Kind::retry) << blocked_write.error().message;
    ASSERT_FALSE(blocked_transaction);
    EXPECT_EQ(blocked_transaction.error().kind, Error::Kind::retry);

    // Readers never wait in WAL mode, and the writer's lock is gone after its commit.
    auto rows = other->query("SELECT COUNT(*) FROM notes", {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->front().integer(0), 1);
    EXPECT_TRUE(other->execute("INSERT INTO notes (id) VALUES (2)", {}));
}

TEST(Sqlite, OpeningCreatesTheFileAndItsDirectoryInWalMode) {
    const auto root =
        std::filesystem::temp_directory_path() / ("idpd_sqlite_dirs_" + std::to_string(getpid()));
    const auto file = root / "var" / "deeper" / "idpd.db";
    {
        auto db = open_url("sqlite://" + file.string());
        ASSERT_NE(db, nullptr);
        EXPECT_TRUE(std::filesystem::exists(file));
        EXPECT_EQ(pragma(*db, "journal_mode"), "wal");
        EXPECT_EQ(pragma(*db, "foreign_keys"), "1");
        EXPECT_EQ(pragma(*db, "synchronous"), "1");  // NORMAL
        EXPECT_EQ(pragma(*db, "busy_timeout"), "5000");
    }
    std::filesystem::remove_all(root);
}

TEST(Sqlite, InMemoryDatabaseIsOneSharedConnection) {
    store::DatabaseOptions options;
    options.url = "sqlite::memory:";
    options.pool_size = 8;
    auto db = store::open_database(options);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)", {}));
    ASSERT_TRUE((*db)->execute("INSERT INTO notes (id) VALUES (1)", {}));
    auto rows = (*db)->query("SELECT COUNT(*) FROM notes", {});
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->front().integer(0), 1);
    EXPECT_EQ((*db)->pool_stats().size, 1U);
}

}  // namespace
}  // namespace idpd::conformance
