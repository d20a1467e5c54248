#pragma once

#include <string_view>
#include <vector>

namespace idpd::store {

// One migration file from schema/<dialect>/NNNN_name.sql, compiled into the binary.
struct SchemaFile {
    std::string_view dialect;  // "sqlite" or "mysql"
    std::string_view name;     // "0001_init.sql"
    std::string_view sql;
};

// Every file of every dialect, sorted by name within a dialect (scripts/embed_schema.cmake).
const std::vector<SchemaFile>& schema_files();

}  // namespace idpd::store
