#include "store/sqlite/sqlite_database.h"

#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include <sqlite3.h>

#include "store/sql_script.h"
#include "store/sqlite/sqlite_error.h"
#include "store/transaction_retry.h"

namespace idpd::store::sqlite {
namespace {

using Work = std::function<Result<void>(Database& tx)>;

// Enough for every statement the server runs; past it the cache starts over, which costs
// only a re-prepare.
constexpr std::size_t max_cached_statements = 256;

struct StringHash {
    using is_transparent = void;

    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

}  // namespace

// One sqlite3 handle and its prepared statements. Used by one thread at a time (the pool lends
// it to one caller), so it is opened with SQLITE_OPEN_NOMUTEX.
class SqliteConnection {
public:
    static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                          std::chrono::milliseconds busy_timeout);

    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    ~SqliteConnection() {
        clear_statements();
        // v2: closes even if a statement was somehow left unfinalized.
        sqlite3_close_v2(handle_);
    }

    sqlite3* handle() const { return handle_; }

    // The cached prepared statement for `sql`, which must be exactly one statement.
    Result<sqlite3_stmt*> prepare(std::string_view sql);

    // An error from the last failed call on this handle.
    Error failure(std::string_view what, std::string_view sql) const {
        const int code = sqlite3_extended_errcode(handle_);
        return Error{sqlite_error_kind(code), std::string(what) + ": " + sqlite3_errmsg(handle_) +
                                                  " (SQLite code " + std::to_string(code) +
                                                  "); SQL: " + sql_excerpt(sql)};
    }

    bool is_in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

    bool is_broken() const { return broken_; }

    void mark_broken() { broken_ = true; }

private:
    explicit SqliteConnection(sqlite3* handle) : handle_(handle) {}

    void clear_statements() {
        for (auto& [sql, statement] : statements_) {
            sqlite3_finalize(statement);
        }
        statements_.clear();
    }

    sqlite3* handle_;
    std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> statements_;
    bool broken_ = false;
};

namespace {

// Resets a statement and drops its bindings when a call is done with it, so a cached
// statement holds no read snapshot and no pointer into the caller's parameters.
class StatementReset {
public:
    explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}

    StatementReset(const StatementReset&) = delete;
    StatementReset& operator=(const StatementReset&) = delete;

    ~StatementReset() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }

private:
    sqlite3_stmt* statement_;
};

// Runs a statement that answers one text value, during connection set-up.
Result<std::string> pragma(SqliteConnection& connection, std::string_view sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                           &statement, nullptr) != SQLITE_OK) {
        return std::unexpected(connection.failure("cannot set up the connection", sql));
    }
    std::string answer;
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        answer = text == nullptr ? "" : reinterpret_cast<const char*>(text);
        rc = sqlite3_step(statement);
    }
    if (rc != SQLITE_DONE) {
        auto error = connection.failure("cannot set up the connection", sql);
        sqlite3_finalize(statement);
        return std::unexpected(std::move(error));
    }
    sqlite3_finalize(statement);
    return answer;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

int bind_value(sqlite3_stmt* statement, int index, const Value& value) {
    return std::visit(Overloaded{
                          [&](std::nullptr_t) { return sqlite3_bind_null(statement, index); },
                          [&](std::int64_t n) { return sqlite3_bind_int64(statement, index, n); },
                          [&](double d) { return sqlite3_bind_double(statement, index, d); },
                          // SQLITE_STATIC: the parameters outlive the statement's use, and
                          // StatementReset clears the bindings before the call returns.
                          [&](const std::string& s) {
                              return sqlite3_bind_text64(statement, index, s.data(), s.size(),
                                                         SQLITE_STATIC, SQLITE_UTF8);
                          },
                          [&](const Blob& b) {
                              // A zero-length blob bound from a pointer that may be null would read
                              // back as NULL; zeroblob(0) keeps it an empty blob.
                              if (b.bytes.empty()) {
                                  return sqlite3_bind_zeroblob(statement, index, 0);
                              }
                              return sqlite3_bind_blob64(statement, index, b.bytes.data(),
                                                         b.bytes.size(), SQLITE_STATIC);
                          },
                      },
                      value);
}

Result<void> bind_all(SqliteConnection& connection, sqlite3_stmt* statement, std::string_view sql,
                      const Params& params) {
    const int expected = sqlite3_bind_parameter_count(statement);
    if (static_cast<std::size_t>(expected) != params.size()) {
        return fail(Error::Kind::invalid, "statement has " + std::to_string(expected) +
                                              " placeholders but " + std::to_string(params.size()) +
                                              " values were given; SQL: " + sql_excerpt(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (bind_value(statement, static_cast<int>(i + 1), params[i]) != SQLITE_OK) {
            return std::unexpected(connection.failure("cannot bind parameter", sql));
        }
    }
    return {};
}

Value read_column(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
            return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
        case SQLITE_FLOAT:
            return sqlite3_column_double(statement, column);
        case SQLITE_TEXT: {
            const auto* text =
                reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
            return text == nullptr ? std::string{} : std::string(text, size);
        }
        case SQLITE_BLOB: {
            const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
            return Blob{bytes == nullptr ? std::string{} : std::string(bytes, size)};
        }
        default:
            return nullptr;
    }
}

Result<Rows> run_query(SqliteConnection& connection, std::string_view sql, const Params& params) {
    auto statement = connection.prepare(sql);
    if (!statement) {
        return std::unexpected(statement.error());
    }
    StatementReset reset{*statement};
    if (auto bound = bind_all(connection, *statement, sql, params); !bound) {
        return std::unexpected(bound.error());
    }
    const int columns = sqlite3_column_count(*statement);
    Rows rows;
    while (true) {
        const int rc = sqlite3_step(*statement);
        if (rc == SQLITE_DONE) {
            return rows;
        }
        if (rc != SQLITE_ROW) {
            return std::unexpected(connection.failure("query failed", sql));
        }
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            values.push_back(read_column(*statement, c));
        }
        rows.emplace_back(std::move(values));
    }
}

Result<Executed> run_execute(SqliteConnection& connection, std::string_view sql,
                             const Params& params) {
    auto statement = connection.prepare(sql);
    if (!statement) {
        return std::unexpected(statement.error());
    }
    if (sqlite3_column_count(*statement) > 0) {
        return fail(Error::Kind::invalid,
                    "execute() was given a statement that returns rows; use query(). SQL: " +
                        sql_excerpt(sql));
    }
    StatementReset reset{*statement};
    if (auto bound = bind_all(connection, *statement, sql, params); !bound) {
        return std::unexpected(bound.error());
    }
    sqlite3* handle = connection.handle();
    // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, even across a DDL
    // statement that changes no row; the total tells whether this statement changed any.
    const auto total_before = sqlite3_total_changes64(handle);
    if (sqlite3_step(*statement) != SQLITE_DONE) {
        return std::unexpected(connection.failure("statement failed", sql));
    }
    Executed executed;
    if (sqlite3_total_changes64(handle) != total_before) {
        executed.affected_rows = static_cast<std::uint64_t>(sqlite3_changes64(handle));
    }
    if (executed.affected_rows > 0 &&
        (starts_with_keyword(sql, "INSERT") || starts_with_keyword(sql, "REPLACE"))) {
        executed.last_insert_id = sqlite3_last_insert_rowid(handle);
    }
    return executed;
}

Result<void> run_script(SqliteConnection& connection, std::string_view sql) {
    char* message = nullptr;
    const std::string script(sql);
    if (sqlite3_exec(connection.handle(), script.c_str(), nullptr, nullptr, &message) !=
        SQLITE_OK) {
        const int code = sqlite3_extended_errcode(connection.handle());
        std::string text = message == nullptr ? sqlite3_errstr(code) : message;
        sqlite3_free(message);
        return fail(sqlite_error_kind(code),
                    "script failed: " + text + " (SQLite code " + std::to_string(code) + ")");
    }
    return {};
}

// Ends an open transaction. When ROLLBACK itself fails the connection's state is unknown, so
// it is not lent again.
void roll_back(SqliteConnection& connection) {
    if (!connection.is_in_transaction()) {
        return;  // SQLite already rolled back (it does on some errors, such as SQLITE_FULL)
    }
    if (!run_execute(connection, "ROLLBACK", {}) || connection.is_in_transaction()) {
        connection.mark_broken();
    }
}

// The Database that transaction() gives to `work`: every call runs on the transaction's own
// connection, and a nested transaction() runs inline.
class SqliteTransaction final : public Database {
public:
    SqliteTransaction(SqliteConnection& connection, const Database& owner)
        : connection_(connection), owner_(owner) {}

    Dialect dialect() const override { return Dialect::sqlite; }

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
    SqliteConnection& connection_;
    const Database& owner_;
};

Result<void> run_transaction_once(SqliteConnection& connection, const Work& work,
                                  const Database& owner) {
    if (auto begun = run_execute(connection, "BEGIN IMMEDIATE", {}); !begun) {
        return std::unexpected(begun.error());
    }
    SqliteTransaction tx{connection, owner};
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
    if (auto committed = run_execute(connection, "COMMIT", {}); !committed) {
        roll_back(connection);
        return std::unexpected(committed.error());
    }
    return {};
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(
    const std::string& path, std::chrono::milliseconds busy_timeout) {
    const bool in_memory = path == ":memory:";
    if (!in_memory) {
        const auto parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) {
            std::filesystem::create_directories(parent, ec);
        }
        if (ec) {
            return fail(Error::Kind::unavailable,
                        "cannot create directory '" + parent.string() + "': " + ec.message());
        }
    }
    sqlite3* handle = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    // The handle needs closing even when the open failed.
    std::unique_ptr<SqliteConnection> connection{new SqliteConnection(handle)};
    if (rc != SQLITE_OK) {
        return fail(Error::Kind::unavailable,
                    "cannot open SQLite database '" + path + "': " + sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(handle, 1);
    // Before the pragmas: switching to WAL waits for other connections' locks.
    sqlite3_busy_timeout(handle, static_cast<int>(busy_timeout.count()));
    if (!in_memory) {
        auto mode = pragma(*connection, "PRAGMA journal_mode = WAL");
        if (!mode) {
            return std::unexpected(mode.error());
        }
        if (*mode != "wal") {
            return fail(Error::Kind::unavailable, "SQLite database '" + path +
                                                      "' cannot use WAL mode (journal mode is '" +
                                                      *mode + "'); is it on a network filesystem?");
        }
    }
    for (std::string_view setting : {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto done = pragma(*connection, setting); !done) {
            return std::unexpected(done.error());
        }
    }
    return connection;
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
    if (auto cached = statements_.find(sql); cached != statements_.end()) {
        return cached->second;
    }
    if (statements_.size() >= max_cached_statements) {
        clear_statements();
    }
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &statement, &tail) != SQLITE_OK) {
        return std::unexpected(failure("cannot prepare statement", sql));
    }
    if (statement == nullptr) {
        return fail(Error::Kind::invalid, "empty statement: '" + sql_excerpt(sql) + "'");
    }
    const auto rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
    if (!split_sql_script(rest).empty()) {
        sqlite3_finalize(statement);
        return fail(
            Error::Kind::invalid,
            "one statement per call (use execute_script for a script); SQL: " + sql_excerpt(sql));
    }
    statements_.emplace(std::string(sql), statement);
    return statement;
}

SqliteDatabase::SqliteDatabase(const SqliteUrl& url, const DatabaseOptions& options) {
    const std::size_t size = url.is_memory() ? 1 : options.pool_size;
    pool_ = std::make_unique<ConnectionPool<SqliteConnection>>(
        size, options.pool_timeout, [path = url.path, busy_timeout = options.busy_timeout] {
            return SqliteConnection::open(path, busy_timeout);
        });
}

SqliteDatabase::~SqliteDatabase() = default;

Result<Rows> SqliteDatabase::query(std::string_view sql, const Params& params) {
    auto lease = pool_->acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_query(**lease, sql, params);
}

Result<Executed> SqliteDatabase::execute(std::string_view sql, const Params& params) {
    auto lease = pool_->acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_execute(**lease, sql, params);
}

Result<void> SqliteDatabase::transaction(const Work& work) {
    for (int attempt = 1;; ++attempt) {
        Result<void> outcome;
        {
            auto lease = pool_->acquire();
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

Result<void> SqliteDatabase::execute_script(std::string_view sql) {
    auto lease = pool_->acquire();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return run_script(**lease, sql);
}

Result<void> SqliteDatabase::ping() {
    auto rows = query("SELECT 1", {});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return {};
}

PoolStats SqliteDatabase::pool_stats() const {
    return pool_->stats();
}

}  // namespace idpd::store::sqlite
