// store/mysql: the production backend, MySQL or MariaDB (Galera too) through MySQL
// Connector/C++ 1.1. No Connector type appears outside this folder.
#pragma once

#include <memory>

#include "store/connection_pool.h"
#include "store/database.h"
#include "store/database_url.h"
#include "store/open.h"

namespace idpd::store::mysql {

class MysqlConnection;

// A MySQL/MariaDB database behind a pool of `options.pool_size` connections.
//
// Every connection talks utf8mb4 with collation utf8mb4_bin (so a literal or parameter
// compares case-sensitively, as on SQLite), runs with sql_mode strict, time_zone UTC,
// innodb_lock_wait_timeout = `options.busy_timeout` and isolation READ COMMITTED: each
// statement sees what others have committed, and InnoDB takes no gap locks, so concurrent
// inserts into the same tables (sessions, tokens, outbox) deadlock far less than under
// REPEATABLE READ. Neither level stops a lost update in a read-modify-write; that takes
// `for_update()` (store/dialect.h) or a conditional UPDATE, on both levels alike.
// (READ COMMITTED needs binlog_format ROW or MIXED, the MariaDB default; Galera requires ROW.)
//
// affected_rows counts the rows an UPDATE matched, not only those it changed
// (CLIENT_FOUND_ROWS), as SQLite does. A connection that breaks is closed and replaced on a
// later call; one idle for more than a second is pinged before it is lent, so a restarted
// server costs no failed request. A caller waits at most `options.pool_timeout` for a free
// connection (then: unavailable).
class MysqlDatabase final : public Database {
public:
    // Opens nothing yet; open_database() checks the first connection.
    MysqlDatabase(const MysqlUrl& url, const DatabaseOptions& options);
    ~MysqlDatabase() override;

    Dialect dialect() const override { return Dialect::mysql; }

    Result<Rows> query(std::string_view sql, const Params& params) override;
    Result<Executed> execute(std::string_view sql, const Params& params) override;
    // START TRANSACTION ... COMMIT on one connection. The commit is a COMMIT statement:
    // Connector/C++ 1.1's Connection::commit() ignores the server's answer, so a commit that
    // failed would look like success. A commit lost with the connection is reported as
    // unavailable and not retried: whether it took effect is unknown.
    Result<void> transaction(const std::function<Result<void>(Database& tx)>& work) override;
    // Splits the script into statements (split_sql_script) and runs them in order; MySQL
    // commits each DDL statement by itself, so a failure leaves the earlier ones applied.
    Result<void> execute_script(std::string_view sql) override;
    // Opens (and closes) a new connection, with the read timeout cut to the connect timeout:
    // bounded by about twice the connect timeout even when every pooled connection is busy.
    Result<void> ping() override;
    PoolStats pool_stats() const override;

private:
    Result<typename ConnectionPool<MysqlConnection>::Lease> acquire();

    MysqlUrl url_;
    DatabaseOptions options_;
    std::unique_ptr<ConnectionPool<MysqlConnection>> pool_;
};

}  // namespace idpd::store::mysql
