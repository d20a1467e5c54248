#include "store/mysql/mysql_database.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/parameter_metadata.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include "store/mysql/mysql_error.h"
#include "store/sql_script.h"
#include "store/transaction_retry.h"

namespace idpd::store::mysql {
namespace {

using Work = std::function<Result<void>(Database& tx)>;

// Prepared statements live on the server, which allows max_prepared_stmt_count (16382) in
// all; 128 per connection leaves room for 16 processes with 8 connections each.
constexpr std::size_t max_cached_statements = 128;

// A connection unused for longer is pinged before it is lent: the server may have closed it
// (restart, failover, wait_timeout) and the caller should not pay for that with an error.
constexpr auto ping_when_idle_for = std::chrono::seconds{1};

// Strict: a value that does not fit its column is an error, not silently truncated.
constexpr std::string_view session_setup =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,"
    "NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', innodb_lock_wait_timeout = ";

// The client library and the server count these timeouts in whole seconds.
int whole_seconds(std::chrono::milliseconds timeout) {
    const auto seconds = (timeout.count() + 999) / 1000;
    return static_cast<int>(std::clamp<std::int64_t>(seconds, 1, 24 * 3600));
}

sql::SQLString to_sql_string(std::string_view text) {
    return sql::SQLString(std::string(text));
}

// get_driver_instance() initialises the client library on its first call, which is not
// thread-safe; a function-local static makes that first call happen exactly once.
sql::Driver& driver() {
    static sql::Driver* const instance = get_driver_instance();
    return *instance;
}

struct StringHash {
    using is_transparent = void;

    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

std::string describe(const sql::SQLException& e) {
    return std::string(e.what()) + " (MySQL error " + std::to_string(e.getErrorCode()) +
           ", SQLSTATE " + e.getSQLState() + ")";
}

}  // namespace

// One Connector/C++ connection, its prepared statements, and one plain statement for the
// text-protocol commands (START TRANSACTION, COMMIT, scripts). Used by one thread at a time.
// Methods that talk to the server throw sql::SQLException; the run_* functions below catch it.
class MysqlConnection {
public:
    static Result<std::unique_ptr<MysqlConnection>> open(const MysqlUrl& url,
                                                         const DatabaseOptions& options);

    MysqlConnection(const MysqlConnection&) = delete;
    MysqlConnection& operator=(const MysqlConnection&) = delete;
    ~MysqlConnection() = default;

    sql::PreparedStatement& prepared(std::string_view sql) {
        if (auto cached = statements_.find(sql); cached != statements_.end()) {
            return *cached->second;
        }
        if (statements_.size() >= max_cached_statements) {
            statements_.clear();
        }
        std::unique_ptr<sql::PreparedStatement> statement{
            connection_->prepareStatement(to_sql_string(sql))};
        auto& prepared = *statement;
        statements_.emplace(std::string(sql), std::move(statement));
        return prepared;
    }

    void run_text(std::string_view sql) {
        if (text_->execute(to_sql_string(sql))) {
            // A result nobody reads would block the connection's next command.
            std::unique_ptr<sql::ResultSet> unread{text_->getResultSet()};
        }
    }

    // The error for `e`; a connection that `e` shows to be lost is marked broken, so the pool
    // closes it instead of lending it again.
    Error failure(const sql::SQLException& e, std::string_view what, std::string_view sql) {
        const int code = e.getErrorCode();
        if (is_connection_lost(code) || connection_->isClosed()) {
            broken_ = true;
        }
        const auto kind = broken_ ? Error::Kind::unavailable : mysql_error_kind(code, e.what());
        return Error{kind, std::string(what) + ": " + describe(e) + "; SQL: " + sql_excerpt(sql)};
    }

    // Asks the server (a ping), bounded by the read timeout.
    bool is_alive() {
        try {
            return connection_->isValid();
        } catch (const sql::SQLException&) {
            return false;
        }
    }

    bool is_broken() const { return broken_; }

    void mark_broken() { broken_ = true; }

private:
    explicit MysqlConnection(std::unique_ptr<sql::Connection> connection)
        : connection_(std::move(connection)), text_(connection_->createStatement()) {}

    // Declared first so it is destroyed last, after the statements that belong to it.
    std::unique_ptr<sql::Connection> connection_;
    std::unique_ptr<sql::Statement> text_;
    std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>, StringHash,
                       std::equal_to<>>
        statements_;
    bool broken_ = false;
};

namespace {

// setBlob reads its stream during execute, so the streams live until the statement has run.
using BlobStreams = std::vector<std::unique_ptr<std::istringstream>>;

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

Result<void> bind_all(sql::PreparedStatement& statement, std::string_view sql, const Params& params,
                      BlobStreams& blobs) {
    const int expected = statement.getParameterMetaData()->getParameterCount();
    if (static_cast<std::size_t>(expected) != params.size()) {
        return fail(Error::Kind::invalid, "statement has " + std::to_string(expected) +
                                              " placeholders but " + std::to_string(params.size()) +
                                              " values were given; SQL: " + sql_excerpt(sql));
    }
    statement.clearParameters();
    for (unsigned i = 0; i < params.size(); ++i) {
        const unsigned index = i + 1;  // JDBC counts from 1
        std::visit(Overloaded{
                       [&](std::nullptr_t) { statement.setNull(index, sql::DataType::SQLNULL); },
                       [&](std::int64_t n) { statement.setInt64(index, n); },
                       [&](double d) { statement.setDouble(index, d); },
                       [&](const std::string& s) { statement.setString(index, s); },
                       [&](const Blob& b) {
                           blobs.push_back(std::make_unique<std::istringstream>(b.bytes));
                           statement.setBlob(index, blobs.back().get());
                       },
                   },
                   params[i]);
    }
    return {};
}

// Reads by the column's type in the result metadata, so a value comes back as the Value
// alternative it was stored from: integers as int64, floating point as double, binary
// strings and blobs as Blob, and text, DECIMAL and temporal types as text.
Value read_column(const sql::ResultSet& results, unsigned column, int type, bool is_unsigned) {
    if (results.isNull(column)) {
        return nullptr;
    }
    switch (type) {
        case sql::DataType::BIT:
        case sql::DataType::TINYINT:
        case sql::DataType::SMALLINT:
        case sql::DataType::MEDIUMINT:
        case sql::DataType::INTEGER:
        case sql::DataType::BIGINT:
        case sql::DataType::YEAR: {
            if (!is_unsigned) {
                return static_cast<std::int64_t>(results.getInt64(column));
            }
            // A BIGINT UNSIGNED beyond int64 would wrap; it reads as its decimal text instead.
            const std::uint64_t value = results.getUInt64(column);
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return std::to_string(value);
            }
            return static_cast<std::int64_t>(value);
        }
        case sql::DataType::REAL:
        case sql::DataType::DOUBLE:
            return static_cast<double>(results.getDouble(column));
        case sql::DataType::BINARY:
        case sql::DataType::VARBINARY:
        case sql::DataType::LONGVARBINARY:
            return Blob{results.getString(column).asStdString()};
        case sql::DataType::SQLNULL:
            return nullptr;
        default:
            return results.getString(column).asStdString();
    }
}

Rows read_rows(sql::ResultSet& results) {
    sql::ResultSetMetaData* meta = results.getMetaData();
    const unsigned columns = meta->getColumnCount();
    std::vector<int> types;
    std::vector<bool> is_unsigned;
    for (unsigned c = 1; c <= columns; ++c) {
        types.push_back(meta->getColumnType(c));
        is_unsigned.push_back(!meta->isSigned(c));
    }
    Rows rows;
    while (results.next()) {
        std::vector<Value> values;
        values.reserve(columns);
        for (unsigned c = 1; c <= columns; ++c) {
            values.push_back(read_column(results, c, types[c - 1], is_unsigned[c - 1]));
        }
        rows.emplace_back(std::move(values));
    }
    return rows;
}

Result<Rows> run_query(MysqlConnection& connection, std::string_view sql, const Params& params) {
    try {
        auto& statement = connection.prepared(sql);
        BlobStreams blobs;
        if (auto bound = bind_all(statement, sql, params, blobs); !bound) {
            return std::unexpected(bound.error());
        }
        if (!statement.execute()) {
            return Rows{};
        }
        std::unique_ptr<sql::ResultSet> results{statement.getResultSet()};
        return read_rows(*results);
    } catch (const sql::SQLException& e) {
        return std::unexpected(connection.failure(e, "query failed", sql));
    }
}

Result<Executed> run_execute(MysqlConnection& connection, std::string_view sql,
                             const Params& params) {
    try {
        auto& statement = connection.prepared(sql);
        if (statement.getMetaData()->getColumnCount() > 0) {
            return fail(Error::Kind::invalid,
                        "execute() was given a statement that returns rows; use query(). SQL: " +
                            sql_excerpt(sql));
        }
        BlobStreams blobs;
        if (auto bound = bind_all(statement, sql, params, blobs); !bound) {
            return std::unexpected(bound.error());
        }
        Executed executed;
        executed.affected_rows = static_cast<std::uint64_t>(statement.executeUpdate());
        // Connector/C++ 1.1 has no getter for the insert id of a prepared statement; the
        // session's LAST_INSERT_ID() is that id, on this same connection.
        if (executed.affected_rows > 0 &&
            (starts_with_keyword(sql, "INSERT") || starts_with_keyword(sql, "REPLACE"))) {
            std::unique_ptr<sql::ResultSet> id{
                connection.prepared("SELECT LAST_INSERT_ID()").executeQuery()};
            if (id->next()) {
                executed.last_insert_id = static_cast<std::int64_t>(id->getInt64(1));
            }
        }
        return executed;
    } catch (const sql::SQLException& e) {
        return std::unexpected(connection.failure(e, "statement failed", sql));
    }
}

Result<void> run_text(MysqlConnection& connection, std::string_view sql) {
    try {
        connection.run_text(sql);
        return {};
    } catch (const sql::SQLException& e) {
        return std::unexpected(connection.failure(e, "statement failed", sql));
    }
}

Result<void> run_script(MysqlConnection& connection, std::string_view script) {
    const auto statements = split_sql_script(script);
    for (std::size_t i = 0; i < statements.size(); ++i) {
        if (auto done = run_text(connection, statements[i]); !done) {
            done.error().message =
                "statement " + std::to_string(i + 1) + " of the script: " + done.error().message;
            return done;
        }
    }
    return {};
}

// Ends an open transaction; a connection whose ROLLBACK fails is not lent again.
void roll_back(MysqlConnection& connection) {
    if (!connection.is_broken() && !run_text(connection, "ROLLBACK")) {
        connection.mark_broken();
    }
}

// The Database that transaction() gives to `work`: every call runs on the transaction's own
// connection, and a nested transaction() runs inline.
class MysqlTransaction final : public Database {
public:
    MysqlTransaction(MysqlConnection& connection, const Database& owner)
        : connection_(connection), owner_(owner) {}

    Dialect dialect() const override { return Dialect::mysql; }

    Result<Rows> query(std::string_view sql, const Params& params) override {
        return run_query(connection_, sql, params);
    }

    Result<Executed> execute(std::string_view sql, const Params& params) override {
        return run_execute(connection_, sql, params);
    }

    Result<void> transaction(const Work& work) override { return work(*this); }

    Result<void> execute_script(std::string_view sql) override {
        return run_script(connection_, sql);
    }

    Result<void> ping() override { return {}; }

    PoolStats pool_stats() const override { return owner_.pool_stats(); }

private:
    MysqlConnection& connection_;
    const Database& owner_;
};

Result<void> run_transaction_once(MysqlConnection& connection, const Work& work,
                                  const Database& owner) {
    if (auto begun = run_text(connection, "START TRANSACTION"); !begun) {
        return begun;
    }
    MysqlTransaction tx{connection, owner};
    Result<void> outcome;
    try {
        outcome = work(tx);
    } catch (...) {
        roll_back(connection);
        throw;
    }
    if (!outcome) {
        roll_back(connection);
        return outcome;
    }
    // Not connection.commit(): Connector/C++ 1.1.12 ignores mysql_commit()'s result, so a
    // COMMIT the server refused (or never received) would return normally with nothing
    // written. The statement throws like any other.
    if (auto committed = run_text(connection, "COMMIT"); !committed) {
        roll_back(connection);
        return committed;
    }
    return {};
}

std::string where(const MysqlUrl& url) {
    if (!url.socket.empty()) {
        return "socket " + url.socket;
    }
    return url.host + ":" + std::to_string(url.port);
}

}  // namespace

Result<std::unique_ptr<MysqlConnection>> MysqlConnection::open(const MysqlUrl& url,
                                                               const DatabaseOptions& options) {
    sql::ConnectOptionsMap properties;
    properties["userName"] = to_sql_string(url.user);
    properties["password"] = to_sql_string(url.password);
    properties["schema"] = to_sql_string(url.database);
    if (!url.socket.empty()) {
        properties["socket"] = to_sql_string(url.socket);
    } else {
        const bool is_ipv6 = url.host.find(':') != std::string::npos;
        properties["hostName"] =
            to_sql_string("tcp://" + (is_ipv6 ? "[" + url.host + "]" : url.host));
        properties["port"] = static_cast<int>(url.port);
    }
    properties["OPT_CONNECT_TIMEOUT"] = whole_seconds(options.connect_timeout);
    properties["OPT_READ_TIMEOUT"] = whole_seconds(options.read_timeout);
    properties["OPT_WRITE_TIMEOUT"] = whole_seconds(options.read_timeout);
    // A silent reconnect would drop the open transaction and the session settings below.
    properties["OPT_RECONNECT"] = false;
    // Affected rows = rows matched, as SQLite counts them: `UPDATE ... SET x = x` is 1, not 0.
    properties["CLIENT_FOUND_ROWS"] = true;
    properties["OPT_CHARSET_NAME"] = to_sql_string("utf8mb4");
    try {
        std::unique_ptr<sql::Connection> handle{driver().connect(properties)};
        std::unique_ptr<MysqlConnection> connection{new MysqlConnection(std::move(handle))};
        // utf8mb4_bin, not the server's default *_ci collation: text compares byte for byte,
        // as on SQLite, so 'Alice' and 'alice' are two different values.
        connection->run_text("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
        connection->run_text(std::string(session_setup) +
                             std::to_string(whole_seconds(options.busy_timeout)));
        connection->run_text("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        return connection;
    } catch (const sql::SQLException& e) {
        return fail(Error::Kind::unavailable, "cannot connect to MySQL at " + where(url) + " as '" +
                                                  url.user + "' (database '" + url.database +
                                                  "'): " + describe(e));
    }
}

MysqlDatabase::MysqlDatabase(const MysqlUrl& url, const DatabaseOptions& options)
    : url_(url),
      options_(options),
      pool_(std::make_unique<ConnectionPool<MysqlConnection>>(
          options.pool_size, options.pool_timeout,
          [url, options] { return MysqlConnection::open(url, options); })) {}

MysqlDatabase::~MysqlDatabase() = default;

Result<ConnectionPool<MysqlConnection>::Lease> MysqlDatabase::acquire() {
    // Each pass either lends a connection or closes one stale idle connection, so it ends.
    while (true) {
        auto lease = pool_->acquire();
        if (!lease || lease->idle_for() < ping_when_idle_for || (*lease)->is_alive()) {
            return lease;
        }
        lease->discard();
    }
}

Result<Rows> MysqlDatabase::query(std::string_view sql, const Params& params) {
    auto lease = acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_query(**lease, sql, params);
}

Result<Executed> MysqlDatabase::execute(std::string_view sql, const Params& params) {
    auto lease = acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_execute(**lease, sql, params);
}

Result<void> MysqlDatabase::transaction(const Work& work) {
    for (int attempt = 1;; ++attempt) {
        Result<void> outcome;
        {
            auto lease = acquire();
            if (!lease) {
                return std::unexpected(lease.error());
            }
            outcome = run_transaction_once(**lease, work, *this);
        }
        if (outcome || outcome.error().kind != Error::Kind::retry) {
            return outcome;
        }
        if (attempt == max_transaction_attempts) {
            outcome.error().message = "gave up after " + std::to_string(attempt) +
                                      " attempts: " + outcome.error().message;
            return outcome;
        }
        std::this_thread::sleep_for(retry_pause(attempt));
    }
}

Result<void> MysqlDatabase::execute_script(std::string_view sql) {
    auto lease = acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_script(**lease, sql);
}

Result<void> MysqlDatabase::ping() {
    // A new connection rather than a pooled one: a pooled connection can only wait for the
    // read timeout (long, for slow statements), and all of them may be lent out. Opening one
    // with the read timeout cut to the connect timeout answers "reachable now?" in bounded time.
    DatabaseOptions quick = options_;
    quick.read_timeout = options_.connect_timeout;
    auto connection = MysqlConnection::open(url_, quick);
    if (!connection) {
        return std::unexpected(connection.error());
    }
    return {};
}

PoolStats MysqlDatabase::pool_stats() const {
    return pool_->stats();
}

}  // namespace idpd::store::mysql
