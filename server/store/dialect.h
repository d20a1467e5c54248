#pragma once

#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::store {

// The real differences between the two dialects, as named functions that callers use on
// purpose (never by rewriting SQL text).

// "sqlite" or "mysql": the folder under schema/ that holds the dialect's migrations.
std::string_view dialect_name(Dialect dialect);

// What to append to a SELECT inside transaction() so the rows it reads stay locked until
// commit, so a read-modify-write cannot lose a concurrent update. MySQL: " FOR UPDATE".
// SQLite: nothing, because transaction() holds the database's only write lock from its
// first statement (BEGIN IMMEDIATE), and SQLite has no FOR UPDATE.
std::string_view for_update(Dialect dialect);

// The clause that makes an INSERT an upsert on `key` (its PRIMARY or UNIQUE key): SQLite
// "ON CONFLICT (key) DO UPDATE SET", MySQL "ON DUPLICATE KEY UPDATE". In the assignments that
// follow, a bare column reads the existing row's value on both, provided no assignment reads a
// column assigned before it (MySQL assigns left to right, SQLite reads the old row throughout).
std::string upsert_clause(Dialect dialect, std::string_view key);

// Whether the table exists in the current database (the one the URL names).
Result<bool> table_exists(Database& db, std::string_view table);

}  // namespace idpd::store
