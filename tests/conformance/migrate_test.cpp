// migrate(): applies each file once, in order, even when two callers race, and names the file
// that fails.
#include "store/migrate.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"
#include "store/dialect.h"
#include "store/schema_files.h"

namespace idpd::conformance {
namespace {

using store::Error;
using store::SchemaFile;
using testing::HasSubstr;

std::size_t embedded_file_count(store::Dialect dialect) {
    std::size_t count = 0;
    for (const auto& file : store::schema_files()) {
        count += file.dialect == store::dialect_name(dialect) ? 1 : 0;
    }
    return count;
}

// Portable files, so one list serves both dialects. 0002 also inserts a row: a file applied
// twice would leave two.
std::vector<SchemaFile> three_files(store::Dialect dialect) {
    const auto name = store::dialect_name(dialect);
    return {
        {name, "0001_first.sql", "CREATE TABLE IF NOT EXISTS mt_first (id BIGINT PRIMARY KEY);"},
        {name, "0002_second.sql",
         "CREATE TABLE IF NOT EXISTS mt_log (note VARCHAR(32));\n"
         "-- a comment; with a semicolon\n"
         "INSERT INTO mt_log (note) VALUES ('second; applied');"},
        {name, "0003_third.sql", "CREATE TABLE IF NOT EXISTS mt_third (id BIGINT PRIMARY KEY);"},
    };
}

TEST_P(UnmigratedStoreTest, MigratingTwiceIsANoOp) {
    const std::size_t files = embedded_file_count(db().dialect());
    ASSERT_GT(files, 0U);

    auto before = store::applied_migrations(db());
    ASSERT_TRUE(before) << before.error().message;
    EXPECT_TRUE(before->empty());

    auto first = store::migrate(db());
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->applied.size(), files);
    EXPECT_EQ(first->already_applied, 0U);

    auto second = store::migrate(db());
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_TRUE(second->applied.empty());
    EXPECT_EQ(second->already_applied, files);
    EXPECT_TRUE(second->unknown.empty());

    auto recorded = store::applied_migrations(db());
    ASSERT_TRUE(recorded) << recorded.error().message;
    ASSERT_EQ(recorded->size(), files);
    EXPECT_EQ(recorded->front().version, 1);
    EXPECT_EQ(recorded->front().name, "0001_init.sql");
    EXPECT_GT(recorded->front().applied_at, 1'700'000'000);
}

TEST_P(UnmigratedStoreTest, FilesApplyInVersionOrderAndOnlyOnce) {
    auto files = three_files(db().dialect());
    std::swap(files[0], files[2]);  // the order of the list does not matter, the number does

    auto first = store::migrate(db(), files);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_THAT(first->applied,
                testing::ElementsAre("0001_first.sql", "0002_second.sql", "0003_third.sql"));

    auto again = store::migrate(db(), files);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->applied.empty());
    auto log = db().query("SELECT note FROM mt_log", {});
    ASSERT_TRUE(log) << log.error().message;
    ASSERT_EQ(log->size(), 1U);
    EXPECT_EQ(log->front().text(0), "second; applied");
}

TEST_P(UnmigratedStoreTest, ConcurrentMigrationsBothSucceedAndRecordEachFileOnce) {
    const auto files = three_files(db().dialect());
    store::Result<store::MigrationReport> one;
    store::Result<store::MigrationReport> two;
    std::thread a([&] { one = store::migrate(db(), files); });
    std::thread b([&] { two = store::migrate(db(), files); });
    a.join();
    b.join();
    ASSERT_TRUE(one) << one.error().message;
    ASSERT_TRUE(two) << two.error().message;
    EXPECT_EQ(one->applied.size() + two->applied.size(), files.size());

    auto counts = db().query(
        "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version", {});
    ASSERT_TRUE(counts) << counts.error().message;
    ASSERT_EQ(counts->size(), files.size());
    for (const auto& row : *counts) {
        EXPECT_EQ(row.integer(1), 1) << "version " << row.integer(0);
    }
    auto log = db().query("SELECT COUNT(*) FROM mt_log", {});
    ASSERT_TRUE(log) << log.error().message;
    EXPECT_EQ(log->front().integer(0), 1);
}

TEST_P(UnmigratedStoreTest, FailingMigrationIsReportedByNameAndCanBeFixed) {
    auto files = three_files(db().dialect());
    const std::string fixed{files[1].sql};
    files[1].sql = "CREATE TABLE mt_broken (";

    auto failed = store::migrate(db(), files);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, Error::Kind::invalid);
    EXPECT_THAT(failed.error().message, HasSubstr("0002_second.sql"));
    auto recorded = store::applied_migrations(db());
    ASSERT_TRUE(recorded) << recorded.error().message;
    for (const auto& migration : *recorded) {
        EXPECT_NE(migration.version, 2) << "a failed file must not be recorded";
    }

    files[1].sql = fixed;
    auto retried = store::migrate(db(), files);
    ASSERT_TRUE(retried) << retried.error().message;
    auto all = store::applied_migrations(db());
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->size(), 3U);
}

TEST_P(UnmigratedStoreTest, TwoFilesWithOneVersionAreRefused) {
    auto files = three_files(db().dialect());
    files[2].name = "0002_also_second.sql";
    auto refused = store::migrate(db(), files);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::invalid);
    EXPECT_THAT(refused.error().message, HasSubstr("0002_also_second.sql"));
    auto recorded = store::applied_migrations(db());
    ASSERT_TRUE(recorded) << recorded.error().message;
    EXPECT_TRUE(recorded->empty());
}

TEST_P(UnmigratedStoreTest, RecordedVersionUnderAnotherNameIsRefused) {
    auto files = three_files(db().dialect());
    ASSERT_TRUE(store::migrate(db(), files));
    files[0].name = "0001_renamed.sql";
    auto refused = store::migrate(db(), files);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::invalid);
    EXPECT_THAT(refused.error().message, HasSubstr("0001_renamed.sql"));
}

TEST_P(UnmigratedStoreTest, VersionsFromANewerBinaryAreReportedNotRefused) {
    auto files = three_files(db().dialect());
    ASSERT_TRUE(store::migrate(db(), files));
    files.pop_back();
    auto older = store::migrate(db(), files);
    ASSERT_TRUE(older) << older.error().message;
    ASSERT_EQ(older->unknown.size(), 1U);
    EXPECT_EQ(older->unknown.front().name, "0003_third.sql");
}

}  // namespace
}  // namespace idpd::conformance
