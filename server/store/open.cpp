#include "store/open.h"

#include <variant>

#include "store/database_url.h"
#include "store/mysql/mysql_database.h"
#include "store/sqlite/sqlite_database.h"

namespace idpd::store {
namespace {

Result<void> check_options(const DatabaseOptions& options) {
    if (options.pool_size == 0) {
        return fail(Error::Kind::invalid, "database.pool_size must be at least 1");
    }
    for (auto [name, value] : {std::pair{"connect_timeout", options.connect_timeout},
                               std::pair{"busy_timeout", options.busy_timeout},
                               std::pair{"pool_timeout", options.pool_timeout},
                               std::pair{"read_timeout", options.read_timeout}}) {
        if (value.count() <= 0) {
            return fail(Error::Kind::invalid,
                        std::string("database.") + name + " must be longer than 0 ms");
        }
    }
    return {};
}

}  // namespace

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options) {
    if (auto checked = check_options(options); !checked) {
        return std::unexpected(checked.error());
    }
    auto url = parse_database_url(options.url);
    if (!url) {
        return std::unexpected(url.error());
    }
    std::unique_ptr<Database> db;
    if (const auto* sqlite_url = std::get_if<SqliteUrl>(&*url)) {
        db = std::make_unique<sqlite::SqliteDatabase>(*sqlite_url, options);
    } else {
        db = std::make_unique<mysql::MysqlDatabase>(std::get<MysqlUrl>(*url), options);
    }
    // Fail at start, with the reason, rather than on the first request.
    if (auto alive = db->ping(); !alive) {
        return std::unexpected(alive.error());
    }
    return db;
}

}  // namespace idpd::store
