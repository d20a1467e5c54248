#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "store/error.h"

namespace idpd::store {

// `sqlite:var/idpd.db` (relative to the working directory), `sqlite:///abs/path.db`, or
// `sqlite::memory:`.
struct SqliteUrl {
    std::string path;  // ":memory:" for an in-memory database

    bool is_memory() const { return path == ":memory:"; }
};

// `mysql://user:pass@host:port/db` or `mysql://user:pass@localhost/db?socket=/path/to.sock`.
// User, password, database and socket are percent-decoded.
struct MysqlUrl {
    std::string user;
    std::string password;
    std::string host;  // without the brackets of an IPv6 literal
    std::uint16_t port = 3306;
    std::string socket;  // when set, the Unix socket is used and host/port are ignored
    std::string database;
};

using DatabaseUrl = std::variant<SqliteUrl, MysqlUrl>;

// Reads `database.url`. Errors: invalid, with a message that names the setting and what is wrong
// in it, never the password.
Result<DatabaseUrl> parse_database_url(std::string_view url);

// The URL that parse_database_url() reads back as `url` (user and password percent-encoded).
// Tests use it to point at a scratch database on the same server.
std::string to_string(const MysqlUrl& url);

// The URL without its password, for logs and start-up messages.
std::string redacted(const MysqlUrl& url);

}  // namespace idpd::store
