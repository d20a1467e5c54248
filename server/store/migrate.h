#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/schema_files.h"

namespace idpd::store {

// One row of schema_migrations.
struct AppliedMigration {
    std::int64_t version = 0;     // the NNNN of NNNN_name.sql
    std::string name;             // "0001_init.sql"
    std::int64_t applied_at = 0;  // seconds since the epoch
};

struct MigrationReport {
    std::vector<std::string> applied;  // the files this run applied, in order
    std::size_t already_applied = 0;   // files an earlier run had applied
    // Recorded versions this binary does not have: a newer idpd migrated the database. Not an
    // error (migrations only add), but worth a warning at start.
    std::vector<AppliedMigration> unknown;
};

// Applies, in version order, every embedded migration of db.dialect() that schema_migrations
// does not record yet, and records each. Safe when several processes start at once:
// - SQLite: the whole run is one BEGIN IMMEDIATE transaction, so it applies everything or
//   nothing, and a second process waits, then finds the files applied;
// - MySQL: the run holds GET_LOCK('idpd_migrate:<db>') on its connection. DDL commits by
//   itself there, so each file is recorded right after it ran, a failure leaves the files
//   before it applied, and every file must be safe to run again (CREATE TABLE IF NOT EXISTS).
//   It also sets the database's default collation to utf8mb4_bin, so a table that forgets to
//   name one still compares case-sensitively, as on SQLite.
// Errors: the failing file's name and the database's message, with that error's kind;
// invalid when two files share a version or a recorded version has another file name.
Result<MigrationReport> migrate(Database& db);

// The same with these files instead of the embedded ones (tests); files of another dialect
// are ignored.
Result<MigrationReport> migrate(Database& db, std::span<const SchemaFile> files);

// Every recorded migration, by version; empty when migrate() never ran.
Result<std::vector<AppliedMigration>> applied_migrations(Database& db);

}  // namespace idpd::store
