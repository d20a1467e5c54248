// store/sqlite: the zero-setup backend, one database file in WAL mode (or memory, for tests).
#pragma once

#include <memory>

#include "store/connection_pool.h"
#include "store/database.h"
#include "store/database_url.h"
#include "store/open.h"

namespace idpd::store::sqlite {

class SqliteConnection;

// An SQLite database behind a pool of `options.pool_size` connections. Each connection runs in
// WAL mode (readers never wait for the writer), synchronous=NORMAL (durable at checkpoints,
// never corrupt), foreign_keys=ON and busy_timeout=`options.busy_timeout`, and caches its
// prepared statements.
//
// `sqlite::memory:` uses one connection whatever the pool size: every connection to
// ":memory:" would be a separate, empty database. Callers then take turns, so code inside
// transaction() must use `tx`, never this object (it would wait for its own connection until
// pool_timeout). Discarding that one connection (after a failed ROLLBACK) loses the data.
//
// transaction() starts with BEGIN IMMEDIATE: it takes the write lock up front, so two
// read-modify-write transactions never deadlock on upgrading a read lock (which SQLite reports
// as SQLITE_BUSY at once, without waiting), and ends with a COMMIT statement whose failure
// (a deferred foreign key, say) is returned.
class SqliteDatabase final : public Database {
public:
    // Opens nothing yet: the first use opens the file, creating it and its parent directory.
    SqliteDatabase(const SqliteUrl& url, const DatabaseOptions& options);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::sqlite; }

    Result<Rows> query(std::string_view sql, const Params& params) override;
    Result<Executed> execute(std::string_view sql, const Params& params) override;
    Result<void> transaction(const std::function<Result<void>(Database& tx)>& work) override;
    Result<void> execute_script(std::string_view sql) override;
    Result<void> ping() override;
    PoolStats pool_stats() const override;

private:
    std::unique_ptr<ConnectionPool<SqliteConnection>> pool_;
};

}  // namespace idpd::store::sqlite
