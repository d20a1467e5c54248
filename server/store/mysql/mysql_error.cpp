#include "store/mysql/mysql_error.h"

#include <algorithm>
#include <array>

namespace idpd::store::mysql {
namespace {

// Error numbers from MariaDB's include/mysqld_error.h and errmsg.h.
constexpr std::array conflict_codes{1062, 1586, 1451, 1452, 1216, 1217};
constexpr std::array retry_codes{1213, 1205, 1020, 1047, 1180};
constexpr std::array unavailable_codes{1040, 1290};
constexpr std::array connection_lost_codes{
    2001,  // can't create socket
    2002,  // can't connect through socket
    2003,  // can't connect to server (TCP)
    2005,  // unknown host
    2006,  // server has gone away
    2011,  // TCP/IP error during connect
    2012,  // handshake error
    2013,  // lost connection during query
    2014,  // commands out of sync: the protocol state is unknown
    2026,  // TLS error
    2027,  // malformed packet
    2055,  // lost connection (system error)
    1053,  // server shutdown in progress
    1927,  // connection was killed
};

template <std::size_t n>
bool contains(const std::array<int, n>& codes, int code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

bool is_connection_lost(int code) {
    return contains(connection_lost_codes, code);
}

Error::Kind mysql_error_kind(int code, std::string_view message) {
    if (contains(conflict_codes, code)) {
        return Error::Kind::conflict;
    }
    // Galera reports certification failures with several codes; the WSREP prefix is stable.
    if (contains(retry_codes, code) || message.find("WSREP") != std::string_view::npos) {
        return Error::Kind::retry;
    }
    if (is_connection_lost(code) || contains(unavailable_codes, code)) {
        return Error::Kind::unavailable;
    }
    return Error::Kind::invalid;
}

}  // namespace idpd::store::mysql
