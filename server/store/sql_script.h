#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace idpd::store {

// Splits a trusted migration file into its statements at the semicolons that are outside
// quotes ('...', "...", `...`) and comments (-- , #, /* */). Comments stay in the statement
// they are in; a piece holding only comments and blanks is dropped. MySQL runs one statement
// per call unless the connection allows multi-statements, which we keep off everywhere.
std::vector<std::string> split_sql_script(std::string_view script);

// Whether `sql` begins, after blanks and comments, with `keyword` (ASCII, any case).
// Used to ask for an insert id only after an INSERT or REPLACE.
bool starts_with_keyword(std::string_view sql, std::string_view keyword);

// The start of a statement (160 characters) for an error message. Never the parameters:
// they may be secrets.
std::string sql_excerpt(std::string_view sql);

}  // namespace idpd::store
