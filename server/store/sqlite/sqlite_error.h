#pragma once

#include "store/error.h"

namespace idpd::store::sqlite {

// The kind a caller can act on for an SQLite extended result code: busy and locked are
// retry; a unique, primary key or foreign key refusal is conflict (other constraints, such as
// NOT NULL or CHECK, are a bug in our SQL: invalid); a file that cannot be opened, read or
// written is unavailable; the rest is invalid.
Error::Kind sqlite_error_kind(int extended_code);

}  // namespace idpd::store::sqlite
