// store: one database interface with an SQLite and a MySQL/MariaDB backend. Capabilities write
// their SQL once against it (the common subset, `?` placeholders); store/ knows no entity.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "store/error.h"
#include "store/value.h"

namespace idpd::store {

enum class Dialect { sqlite, mysql };

struct Executed {
    std::uint64_t affected_rows = 0;
    std::int64_t last_insert_id = 0;  // of an AUTO_INCREMENT / INTEGER PRIMARY KEY insert
};

// How busy the connection pool is, for /metrics.
struct PoolStats {
    std::size_t size = 0;     // configured maximum
    std::size_t open = 0;     // connections currently open
    std::size_t in_use = 0;   // connections lent out right now
    std::uint64_t waits = 0;  // acquisitions that had to wait for a free connection
};

class Database {
public:
    virtual ~Database() = default;

    virtual Dialect dialect() const = 0;

    // Runs one prepared statement and returns its rows. Errors: unavailable (no connection),
    // retry (busy/deadlock outside a transaction), invalid (bad SQL).
    virtual Result<Rows> query(std::string_view sql, const Params& params) = 0;

    // Runs one prepared statement that changes data. Errors as query(), plus conflict when a
    // unique or foreign key refuses the write.
    virtual Result<Executed> execute(std::string_view sql, const Params& params) = 0;

    // Runs `work` in one transaction on one connection: commit when it returns a value,
    // rollback when it returns an error. A retry error (deadlock, busy, failed certification,
    // also from COMMIT itself) rolls back and runs `work` again, a bounded number of times with
    // a short randomised pause, so `work` must touch nothing outside `tx`. Inside `work`,
    // `tx.transaction(...)` runs inline in the same transaction.
    virtual Result<void> transaction(const std::function<Result<void>(Database& tx)>& work) = 0;

    // Runs trusted multi-statement SQL (a migration file) outside the prepared-statement path.
    // Only store/migrate calls it.
    virtual Result<void> execute_script(std::string_view sql) = 0;

    // Answers whether the database can be reached now (for /readyz). Never throws, never hangs
    // longer than the connect timeout.
    virtual Result<void> ping() = 0;

    virtual PoolStats pool_stats() const = 0;
};

}  // namespace idpd::store
