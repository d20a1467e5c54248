#include "store/sql_script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace idpd::store {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

TEST(SplitSqlScript, SplitsAtSemicolonsAndTrims) {
    EXPECT_THAT(split_sql_script("CREATE TABLE a (id INT);\n  CREATE TABLE b (id INT) ;\n"),
                ElementsAre("CREATE TABLE a (id INT)", "CREATE TABLE b (id INT)"));
}

TEST(SplitSqlScript, KeepsTheLastStatementWithoutASemicolon) {
    EXPECT_THAT(split_sql_script("SELECT 1; SELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlScript, SemicolonsInsideQuotesAndCommentsDoNotSplit) {
    EXPECT_THAT(split_sql_script("INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`);\n"
                                 "-- a comment; still a comment\n"
                                 "# another; comment\n"
                                 "/* block; comment */ SELECT 'it''s; fine', 'back\\'slash;';"),
                ElementsAre("INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)",
                            "-- a comment; still a comment\n# another; comment\n/* block; "
                            "comment */ SELECT 'it''s; fine', 'back\\'slash;'"));
}

TEST(SplitSqlScript, OnlyCommentsAndBlanksGiveNoStatement) {
    EXPECT_THAT(split_sql_script("-- 0001: conventions only\n-- nothing to run;\n\n  ;; "),
                IsEmpty());
    EXPECT_THAT(split_sql_script(""), IsEmpty());
}

TEST(SplitSqlScript, DashesWithoutABlankAreNotAComment) {
    EXPECT_THAT(split_sql_script("SELECT 1--1; SELECT 2"), ElementsAre("SELECT 1--1", "SELECT 2"));
}

TEST(SplitSqlScript, ExecutableCommentsAreStatements) {
    EXPECT_THAT(split_sql_script("/*!40101 SET NAMES utf8mb4 */;"),
                ElementsAre("/*!40101 SET NAMES utf8mb4 */"));
}

TEST(StartsWithKeyword, SkipsBlanksAndCommentsAndIgnoresCase) {
    EXPECT_TRUE(starts_with_keyword("  insert INTO t VALUES (1)", "INSERT"));
    EXPECT_TRUE(starts_with_keyword("-- note\n/* x */ REPLACE INTO t VALUES (1)", "REPLACE"));
    EXPECT_FALSE(starts_with_keyword("UPDATE t SET x = 1", "INSERT"));
    EXPECT_FALSE(starts_with_keyword("INSERTED", "INSERT"));
    EXPECT_FALSE(starts_with_keyword("INS", "INSERT"));
}

}  // namespace
}  // namespace idpd::store
