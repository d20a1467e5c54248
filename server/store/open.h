#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "store/database.h"

namespace idpd::store {

struct DatabaseOptions {
    // sqlite:var/idpd.db, sqlite:///abs/path.db, sqlite::memory:,
    // mysql://user:pass@host:3306/db or mysql://user:pass@localhost/db?socket=/run/mysqld.sock
    std::string url = "sqlite:var/idpd.db";
    std::size_t pool_size = 8;
    // How long opening a connection may take (MySQL counts it in whole seconds, rounded up).
    std::chrono::milliseconds connect_timeout{3000};
    // How long a statement waits for a lock held by another transaction before a `retry`
    // error: SQLite's busy_timeout; MySQL's innodb_lock_wait_timeout (whole seconds, at least 1).
    std::chrono::milliseconds busy_timeout{5000};
    // How long a caller waits for a free pooled connection before an `unavailable` error.
    std::chrono::milliseconds pool_timeout{5000};
    // MySQL: a server that does not answer a statement for this long counts as gone
    // (unavailable). Raise it for a migration that rewrites a large table.
    std::chrono::milliseconds read_timeout{60000};
};

// Opens a pool for `options.url` and checks that one connection works. Errors: invalid (a URL
// we cannot read, with the reason), unavailable (the database cannot be reached).
Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options);

}  // namespace idpd::store
