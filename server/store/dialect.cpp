#include "store/dialect.h"

#include <string>

namespace idpd::store {

std::string_view dialect_name(Dialect dialect) {
    switch (dialect) {
        case Dialect::sqlite:
            return "sqlite";
        case Dialect::mysql:
            return "mysql";
    }
    return "unknown";
}

std::string_view for_update(Dialect dialect) {
    return dialect == Dialect::mysql ? " FOR UPDATE" : "";
}

std::string upsert_clause(Dialect dialect, std::string_view key) {
    if (dialect == Dialect::mysql) {
        return "ON DUPLICATE KEY UPDATE";
    }
    return "ON CONFLICT (" + std::string(key) + ") DO UPDATE SET";
}

Result<bool> table_exists(Database& db, std::string_view table) {
    const std::string_view sql =
        db.dialect() == Dialect::mysql
            ? "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
              "table_name = ?"
            : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
    auto rows = db.query(sql, {std::string(table)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return !rows->empty();
}

}  // namespace idpd::store
