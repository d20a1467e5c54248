#include "store/sqlite/sqlite_error.h"

#include <sqlite3.h>

namespace idpd::store::sqlite {

Error::Kind sqlite_error_kind(int extended_code) {
    switch (extended_code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_FOREIGNKEY:
        case SQLITE_CONSTRAINT_ROWID:
            return Error::Kind::conflict;
        default:
            break;
    }
    switch (extended_code & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error::Kind::retry;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_PERM:
        case SQLITE_NOLFS:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL:
            return Error::Kind::unavailable;
        default:
            return Error::Kind::invalid;
    }
}

}  // namespace idpd::store::sqlite
