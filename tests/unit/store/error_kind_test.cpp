#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/mysql/mysql_error.h"
#include "store/sqlite/sqlite_error.h"

namespace idpd::store {
namespace {

using Kind = Error::Kind;

TEST(MysqlErrorKind, RefusedWritesAreConflicts) {
    for (int code : {1062, 1586, 1451, 1452}) {
        EXPECT_EQ(mysql::mysql_error_kind(code, ""), Kind::conflict) << code;
    }
}

TEST(MysqlErrorKind, DeadlocksLockTimeoutsAndGaleraAreRetries) {
    for (int code : {1213, 1205, 1047, 1180}) {
        EXPECT_EQ(mysql::mysql_error_kind(code, ""), Kind::retry) << code;
    }
    EXPECT_EQ(mysql::mysql_error_kind(1105,
                                      "WSREP detected deadlock/conflict and aborted the "
                                      "transaction. Try restarting the transaction"),
              Kind::retry);
}

TEST(MysqlErrorKind, LostConnectionsAreUnavailableAndDiscarded) {
    for (int code : {2002, 2003, 2006, 2013, 2055, 1927}) {
        EXPECT_EQ(mysql::mysql_error_kind(code, ""), Kind::unavailable) << code;
        EXPECT_TRUE(mysql::is_connection_lost(code)) << code;
    }
    EXPECT_FALSE(mysql::is_connection_lost(1062));
    EXPECT_FALSE(mysql::is_connection_lost(1213));
}

TEST(MysqlErrorKind, EverythingElseIsInvalid) {
    for (int code : {1064, 1146, 1054, 1406, 0}) {
        EXPECT_EQ(mysql::mysql_error_kind(code, "some message"), Kind::invalid) << code;
    }
}

TEST(SqliteErrorKind, MapsExtendedCodes) {
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CONSTRAINT_UNIQUE), Kind::conflict);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CONSTRAINT_PRIMARYKEY), Kind::conflict);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CONSTRAINT_FOREIGNKEY), Kind::conflict);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CONSTRAINT_NOTNULL), Kind::invalid);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CONSTRAINT_CHECK), Kind::invalid);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_BUSY), Kind::retry);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_BUSY_SNAPSHOT), Kind::retry);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_LOCKED_SHAREDCACHE), Kind::retry);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_CANTOPEN), Kind::unavailable);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_IOERR_WRITE), Kind::unavailable);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_FULL), Kind::unavailable);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_ERROR), Kind::invalid);
    EXPECT_EQ(sqlite::sqlite_error_kind(SQLITE_RANGE), Kind::invalid);
}

}  // namespace
}  // namespace idpd::store
