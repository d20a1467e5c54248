#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/open.h"
#include "store/transaction_retry.h"

namespace idpd::store {
namespace {

using testing::HasSubstr;

TEST(OpenDatabase, UnreadableUrlIsInvalidWithTheReason) {
    DatabaseOptions options;
    options.url = "postgres://u@h/db";
    auto db = open_database(options);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, Error::Kind::invalid);
    EXPECT_THAT(db.error().message, HasSubstr("unknown scheme 'postgres'"));
}

TEST(OpenDatabase, EmptyPoolIsInvalid) {
    DatabaseOptions options;
    options.url = "sqlite::memory:";
    options.pool_size = 0;
    auto db = open_database(options);
    ASSERT_FALSE(db);
    EXPECT_THAT(db.error().message, HasSubstr("pool_size"));
}

TEST(OpenDatabase, InMemorySqliteOpensAndAnswers) {
    DatabaseOptions options;
    options.url = "sqlite::memory:";
    auto db = open_database(options);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ((*db)->dialect(), Dialect::sqlite);
    EXPECT_TRUE((*db)->ping());
}

TEST(OpenDatabase, SqliteFileThatCannotBeCreatedIsUnavailable) {
    DatabaseOptions options;
    options.url = "sqlite:///proc/idpd-cannot-be-here/idpd.db";
    auto db = open_database(options);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, Error::Kind::unavailable);
}

TEST(RetryPause, IsShortRandomAndPositive) {
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const auto pause = retry_pause(attempt);
        EXPECT_GE(pause.count(), 1);
        EXPECT_LE(pause.count(), 100);
    }
}

}  // namespace
}  // namespace idpd::store
