#pragma once

#include <string_view>

#include "store/error.h"

namespace idpd::store::mysql {

// The kind a caller can act on for a MySQL/MariaDB error number and message:
// - conflict: 1062/1586 duplicate key, 1451/1452 (and the older 1216/1217) foreign key;
// - retry: 1213 deadlock, 1205 lock wait timeout, 1020 record changed (snapshot isolation),
//   Galera 1047 (node not ready) and 1180 (commit failed), and any message naming WSREP;
// - unavailable: the connection could not be made or was lost (see is_connection_lost),
//   1040 too many connections, 1290 read-only server (a replica after a failover);
// - invalid: everything else (our SQL or our parameters are wrong).
Error::Kind mysql_error_kind(int code, std::string_view message);

// Whether the error means this connection can no longer be used: client errors for a lost or
// refused connection (2002, 2003, 2005, 2006, 2013, 2055, ...), a connection the server killed
// (1927) or a server shutting down (1053). The pool discards such a connection.
bool is_connection_lost(int code);

}  // namespace idpd::store::mysql
