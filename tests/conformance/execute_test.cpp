// What execute() and query() report: affected rows, generated keys, refused writes, the
// text comparison rules, and mistakes in our own SQL.
#include <string>

#include <gmock/gmock.h>

#include "conformance/backend.h"
#include "store/database.h"

namespace idpd::conformance {
namespace {

using store::Error;
using testing::HasSubstr;

std::string auto_id_column(store::Dialect dialect) {
    // The one DDL difference these tests need; migrations keep theirs in schema/<dialect>/.
    return dialect == store::Dialect::mysql ? "id BIGINT AUTO_INCREMENT PRIMARY KEY"
                                            : "id INTEGER PRIMARY KEY AUTOINCREMENT";
}

std::int64_t count_rows(store::Database& db, const std::string& table) {
    auto rows = db.query("SELECT COUNT(*) FROM " + table, {});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->front().integer(0) : -1;
}

TEST_P(StoreTest, AffectedRowsCountTheRowsMatched) {
    ASSERT_TRUE(db().execute("CREATE TABLE items (id BIGINT PRIMARY KEY, n BIGINT)", {}));
    auto inserted = db().execute("INSERT INTO items (id, n) VALUES (1, 0), (2, 0), (3, 0)", {});
    ASSERT_TRUE(inserted) << inserted.error().message;
    EXPECT_EQ(inserted->affected_rows, 3U);

    auto updated = db().execute("UPDATE items SET n = 7 WHERE id <= ?", {std::int64_t{2}});
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ(updated->affected_rows, 2U);

    // The same update again changes nothing but still matches two rows. MySQL would say 0
    // without CLIENT_FOUND_ROWS, and "0 rows" reads as "not found" to a repository.
    auto unchanged = db().execute("UPDATE items SET n = 7 WHERE id <= ?", {std::int64_t{2}});
    ASSERT_TRUE(unchanged) << unchanged.error().message;
    EXPECT_EQ(unchanged->affected_rows, 2U);

    auto missed = db().execute("DELETE FROM items WHERE id = ?", {std::int64_t{99}});
    ASSERT_TRUE(missed) << missed.error().message;
    EXPECT_EQ(missed->affected_rows, 0U);

    auto deleted = db().execute("DELETE FROM items WHERE id = ?", {std::int64_t{3}});
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_EQ(deleted->affected_rows, 1U);
}

TEST_P(StoreTest, LastInsertIdIsTheGeneratedKey) {
    ASSERT_TRUE(db().execute(
        "CREATE TABLE people (" + auto_id_column(db().dialect()) + ", name VARCHAR(64))", {}));
    auto first = db().execute("INSERT INTO people (name) VALUES (?)", {std::string{"ann"}});
    auto second = db().execute("INSERT INTO people (name) VALUES (?)", {std::string{"bob"}});
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_GT(first->last_insert_id, 0);
    EXPECT_GT(second->last_insert_id, first->last_insert_id);

    auto rows = db().query("SELECT id FROM people WHERE name = ?", {std::string{"bob"}});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ(rows->front().integer(0), second->last_insert_id);

    // Not an insert: no id, rather than the one from the insert before.
    auto updated = db().execute("UPDATE people SET name = ? WHERE name = ?",
                                {std::string{"ann2"}, std::string{"ann"}});
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ(updated->last_insert_id, 0);
}

TEST_P(StoreTest, DuplicateKeyIsConflictAndWritesNothing) {
    ASSERT_TRUE(
        db().execute("CREATE TABLE emails (id BIGINT PRIMARY KEY, address VARCHAR(255) "
                     "NOT NULL UNIQUE, note VARCHAR(64))",
                     {}));
    ASSERT_TRUE(db().execute("INSERT INTO emails (id, address, note) VALUES (1, ?, 'first')",
                             {std::string{"a@example.com"}}));

    auto same_address =
        db().execute("INSERT INTO emails (id, address, note) VALUES (2, ?, 'second')",
                     {std::string{"a@example.com"}});
    ASSERT_FALSE(same_address);
    EXPECT_EQ(same_address.error().kind, Error::Kind::conflict) << same_address.error().message;

    auto same_key = db().execute("INSERT INTO emails (id, address, note) VALUES (1, ?, 'third')",
                                 {std::string{"b@example.com"}});
    ASSERT_FALSE(same_key);
    EXPECT_EQ(same_key.error().kind, Error::Kind::conflict) << same_key.error().message;

    auto rows = db().query("SELECT id, address, note FROM emails", {});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ(rows->front().text(2), "first");
}

TEST_P(StoreTest, ForeignKeyRefusalIsConflict) {
    ASSERT_TRUE(db().execute("CREATE TABLE parents (id BIGINT PRIMARY KEY)", {}));
    ASSERT_TRUE(
        db().execute("CREATE TABLE children (id BIGINT PRIMARY KEY, parent_id BIGINT NOT "
                     "NULL, FOREIGN KEY (parent_id) REFERENCES parents (id))",
                     {}));
    ASSERT_TRUE(db().execute("INSERT INTO parents (id) VALUES (1)", {}));

    auto orphan = db().execute("INSERT INTO children (id, parent_id) VALUES (1, 2)", {});
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().kind, Error::Kind::conflict) << orphan.error().message;

    ASSERT_TRUE(db().execute("INSERT INTO children (id, parent_id) VALUES (1, 1)", {}));
    auto still_referenced = db().execute("DELETE FROM parents WHERE id = 1", {});
    ASSERT_FALSE(still_referenced);
    EXPECT_EQ(still_referenced.error().kind, Error::Kind::conflict)
        << still_referenced.error().message;
    EXPECT_EQ(count_rows(db(), "parents"), 1);
}

// MariaDB's default collations ignore case: 'Alice' = 'alice' there, and a UNIQUE key refuses
// the second. Both backends must compare byte for byte, also for a table that names no
// collation (the scratch MariaDB database is created with the server's default one).
TEST_P(StoreTest, TextComparisonsAndUniqueKeysAreCaseSensitive) {
    auto same = db().query("SELECT CASE WHEN ? = ? THEN 1 ELSE 0 END",
                           {std::string{"alice"}, std::string{"Alice"}});
    ASSERT_TRUE(same) << same.error().message;
    EXPECT_EQ(same->front().integer(0), 0);

    ASSERT_TRUE(db().execute(
        "CREATE TABLE names (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL UNIQUE)", {}));
    auto upper = db().execute("INSERT INTO names (id, name) VALUES (1, ?)", {std::string{"Alice"}});
    auto lower = db().execute("INSERT INTO names (id, name) VALUES (2, ?)", {std::string{"alice"}});
    ASSERT_TRUE(upper) << upper.error().message;
    EXPECT_TRUE(lower) << lower.error().message;

    auto shouted = db().query("SELECT id FROM names WHERE name = ?", {std::string{"ALICE"}});
    ASSERT_TRUE(shouted) << shouted.error().message;
    EXPECT_TRUE(shouted->empty());

    auto exact = db().query("SELECT id FROM names WHERE name = ?", {std::string{"Alice"}});
    ASSERT_TRUE(exact) << exact.error().message;
    ASSERT_EQ(exact->size(), 1U);
    EXPECT_EQ(exact->front().integer(0), 1);

    auto ordered = db().query("SELECT name FROM names ORDER BY name", {});
    ASSERT_TRUE(ordered) << ordered.error().message;
    ASSERT_EQ(ordered->size(), 2U);
    EXPECT_EQ(ordered->front().text(0), "Alice");  // 'A' (0x41) sorts before 'a' (0x61)
}

TEST_P(StoreTest, MistakesInOurSqlAreInvalid) {
    ASSERT_TRUE(db().execute("CREATE TABLE things (id BIGINT PRIMARY KEY)", {}));

    auto syntax = db().query("SELEKT id FROM things", {});
    ASSERT_FALSE(syntax);
    EXPECT_EQ(syntax.error().kind, Error::Kind::invalid);

    auto missing_table = db().query("SELECT id FROM no_such_table", {});
    ASSERT_FALSE(missing_table);
    EXPECT_EQ(missing_table.error().kind, Error::Kind::invalid);

    auto too_few = db().execute("INSERT INTO things (id) VALUES (?)", {});
    ASSERT_FALSE(too_few);
    EXPECT_EQ(too_few.error().kind, Error::Kind::invalid);
    EXPECT_THAT(too_few.error().message, HasSubstr("placeholders"));

    auto rows_from_execute = db().execute("SELECT id FROM things", {});
    ASSERT_FALSE(rows_from_execute);
    EXPECT_EQ(rows_from_execute.error().kind, Error::Kind::invalid);
    EXPECT_THAT(rows_from_execute.error().message, HasSubstr("use query()"));

    auto two_statements = db().execute("DELETE FROM things; DELETE FROM things", {});
    ASSERT_FALSE(two_statements);
    EXPECT_EQ(two_statements.error().kind, Error::Kind::invalid);
}

TEST_P(StoreTest, QueryReturnsRowsInSelectOrder) {
    ASSERT_TRUE(db().execute("CREATE TABLE pairs (k VARCHAR(8) PRIMARY KEY, v BIGINT)", {}));
    ASSERT_TRUE(db().execute("INSERT INTO pairs (k, v) VALUES ('b', 2), ('a', 1), ('c', 3)", {}));
    auto rows = db().query("SELECT v, k FROM pairs ORDER BY k DESC", {});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 3U);
    EXPECT_EQ((*rows)[0].integer(0), 3);
    EXPECT_EQ((*rows)[0].text(1), "c");
    EXPECT_EQ((*rows)[2].integer(0), 1);

    auto none = db().query("SELECT v FROM pairs WHERE k = ?", {std::string{"zz"}});
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace idpd::conformance
