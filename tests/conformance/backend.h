// The storage conformance suite: every TEST_P here runs against every backend (Dex's storage
// conformance; GoogleTest's "value-parameterized abstract tests"). backends.cpp is the only
// file that names the backends.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "store/database.h"

namespace idpd::conformance {

struct Backend {
    std::string name;  // "sqlite", "mariadb"
    // A fresh, migrated, empty database, dropped when the object is destroyed; nullptr (with
    // the test failed) when the backend cannot be reached.
    std::function<std::unique_ptr<store::Database>()> open;
    // The same without migrations: for the migration tests.
    std::function<std::unique_ptr<store::Database>()> open_unmigrated;
};

void PrintTo(const Backend& backend, std::ostream* out);

class StoreTest : public testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        db_ = GetParam().open();
        ASSERT_NE(db_, nullptr) << "cannot open a " << GetParam().name << " test database";
    }

    store::Database& db() { return *db_; }

    std::unique_ptr<store::Database> db_;
};

// The same for the migration tests: the database has nothing applied yet.
class UnmigratedStoreTest : public testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        db_ = GetParam().open_unmigrated();
        ASSERT_NE(db_, nullptr) << "cannot open a " << GetParam().name << " test database";
    }

    store::Database& db() { return *db_; }

    std::unique_ptr<store::Database> db_;
};

// A scratch database of one backend and a URL that opens it again, for the tests that only
// make sense on one backend. `db` is empty (nullptr, with the test failed) when unreachable.
struct Scratch {
    std::unique_ptr<store::Database> db;  // migrated; dropped with this object
    std::string url;
};

Scratch sqlite_scratch();
// Fails the test, saying how to start a server, when IDPD_TEST_MYSQL_URL is unset.
Scratch mariadb_scratch();

}  // namespace idpd::conformance
