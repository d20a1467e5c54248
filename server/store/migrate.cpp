#include "store/migrate.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>

#include "store/dialect.h"

namespace idpd::store {
namespace {

// The bookkeeping lives here rather than in 0001: migrate() needs it before any file runs.
constexpr std::string_view sqlite_bookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view mysql_bookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, "
    "name VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// GET_LOCK names are server-wide and at most 64 characters.
constexpr std::string_view mysql_lock_name = "CONCAT('idpd_migrate:', LEFT(DATABASE(), 48))";
constexpr std::int64_t mysql_lock_wait_s = 60;

struct Pending {
    std::int64_t version;
    std::string_view name;
    std::string_view sql;
};

Result<std::int64_t> version_of(std::string_view name) {
    const auto underscore = name.find('_');
    std::int64_t version = 0;
    const auto digits = name.substr(0, underscore);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (underscore == std::string_view::npos || digits.empty() || ec != std::errc{} ||
        end != digits.data() + digits.size() || !name.ends_with(".sql")) {
        return fail(Error::Kind::invalid,
                    "migration file '" + std::string(name) + "' is not named NNNN_name.sql");
    }
    return version;
}

Result<std::vector<Pending>> files_for(Dialect dialect, std::span<const SchemaFile> files) {
    std::vector<Pending> pending;
    for (const auto& file : files) {
        if (file.dialect != dialect_name(dialect)) {
            continue;
        }
        auto version = version_of(file.name);
        if (!version) {
            return std::unexpected(version.error());
        }
        pending.push_back(Pending{*version, file.name, file.sql});
    }
    std::sort(pending.begin(), pending.end(),
              [](const Pending& a, const Pending& b) { return a.version < b.version; });
    // Two branches that each added the next number: one of them must be renumbered.
    auto twin = std::adjacent_find(
        pending.begin(), pending.end(),
        [](const Pending& a, const Pending& b) { return a.version == b.version; });
    if (twin != pending.end()) {
        return fail(Error::Kind::invalid, "migrations '" + std::string(twin->name) + "' and '" +
                                              std::string((twin + 1)->name) + "' share version " +
                                              std::to_string(twin->version));
    }
    return pending;
}

Result<std::vector<AppliedMigration>> read_applied(Database& db) {
    auto rows =
        db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<AppliedMigration> applied;
    for (const auto& row : *rows) {
        applied.push_back(AppliedMigration{row.integer(0), row.text(1), row.integer(2)});
    }
    return applied;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The run itself, on the connection of `tx`, once the caller holds the migration lock.
Result<MigrationReport> apply_pending(Database& tx, const std::vector<Pending>& files) {
    const auto bookkeeping =
        tx.dialect() == Dialect::mysql ? mysql_bookkeeping : sqlite_bookkeeping;
    if (auto created = tx.execute(bookkeeping, {}); !created) {
        return std::unexpected(created.error());
    }
    auto recorded = read_applied(tx);
    if (!recorded) {
        return std::unexpected(recorded.error());
    }
    std::map<std::int64_t, std::string> recorded_names;
    for (const auto& migration : *recorded) {
        recorded_names.emplace(migration.version, migration.name);
    }

    MigrationReport report;
    for (const auto& file : files) {
        if (auto seen = recorded_names.find(file.version); seen != recorded_names.end()) {
            if (seen->second != file.name) {
                return fail(Error::Kind::invalid, "migration " + std::to_string(file.version) +
                                                      " is recorded as '" + seen->second +
                                                      "' but this binary has '" +
                                                      std::string(file.name) + "'");
            }
            ++report.already_applied;
            recorded_names.erase(seen);
            continue;
        }
        if (auto ran = tx.execute_script(file.sql); !ran) {
            return fail(ran.error().kind,
                        "migration " + std::string(file.name) + " failed: " + ran.error().message);
        }
        auto noted =
            tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       {file.version, std::string(file.name), now_seconds()});
        if (!noted) {
            return std::unexpected(noted.error());
        }
        report.applied.emplace_back(file.name);
    }
    for (const auto& migration : *recorded) {
        if (recorded_names.contains(migration.version)) {
            report.unknown.push_back(migration);
        }
    }
    return report;
}

// MySQL compares with the database's default collation whenever a table names none, and the
// server default is case-insensitive (or latin1).
Result<void> ensure_binary_collation(Database& tx) {
    auto current = tx.query("SELECT @@character_set_database, @@collation_database", {});
    if (!current) {
        return std::unexpected(current.error());
    }
    if (!current->empty() && current->front().text(0) == "utf8mb4" &&
        current->front().text(1) == "utf8mb4_bin") {
        return {};
    }
    if (auto altered =
            tx.execute_script("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        !altered) {
        return fail(altered.error().kind,
                    "the database's default collation must be utf8mb4_bin (case-sensitive, as "
                    "on SQLite) and changing it failed; as an administrator run ALTER DATABASE "
                    "<name> CHARACTER SET utf8mb4 COLLATE utf8mb4_bin. " +
                        altered.error().message);
    }
    return {};
}

Result<MigrationReport> apply_with_mysql_lock(Database& tx, const std::vector<Pending>& files) {
    auto locked =
        tx.query("SELECT GET_LOCK(" + std::string(mysql_lock_name) + ", ?)", {mysql_lock_wait_s});
    if (!locked) {
        return std::unexpected(locked.error());
    }
    if (locked->empty() || locked->front().integer(0) != 1) {
        return fail(Error::Kind::unavailable, "another process held the migration lock for " +
                                                  std::to_string(mysql_lock_wait_s) + " s");
    }
    Result<MigrationReport> report = [&]() -> Result<MigrationReport> {
        if (auto collated = ensure_binary_collation(tx); !collated) {
            return std::unexpected(collated.error());
        }
        return apply_pending(tx, files);
    }();
    // Released on every path: the pooled connection would otherwise keep the lock.
    auto released = tx.query("SELECT RELEASE_LOCK(" + std::string(mysql_lock_name) + ")", {});
    if (report && !released) {
        return std::unexpected(released.error());
    }
    return report;
}

}  // namespace

Result<MigrationReport> migrate(Database& db) {
    return migrate(db, schema_files());
}

Result<MigrationReport> migrate(Database& db, std::span<const SchemaFile> files) {
    auto pending = files_for(db.dialect(), files);
    if (!pending) {
        return std::unexpected(pending.error());
    }
    MigrationReport report;
    // MySQL: transaction() only keeps the run on one connection (for GET_LOCK), since each
    // DDL statement commits by itself. SQLite: it makes the run all-or-nothing.
    auto done = db.transaction([&](Database& tx) -> Result<void> {
        auto run = tx.dialect() == Dialect::mysql ? apply_with_mysql_lock(tx, *pending)
                                                  : apply_pending(tx, *pending);
        if (!run) {
            return std::unexpected(run.error());
        }
        report = std::move(*run);
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return report;
}

Result<std::vector<AppliedMigration>> applied_migrations(Database& db) {
    auto exists = table_exists(db, "schema_migrations");
    if (!exists) {
        return std::unexpected(exists.error());
    }
    if (!*exists) {
        return std::vector<AppliedMigration>{};
    }
    return read_applied(db);
}

}  // namespace idpd::store
