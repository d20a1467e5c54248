#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace idpd::store {

// What went wrong, reduced to the few kinds a caller can act on. Driver codes stay inside store/.
struct Error {
    enum class Kind {
        not_found,    // the row a caller asked for does not exist
        conflict,     // a unique or foreign key refused the write
        retry,        // deadlock, lock timeout, SQLITE_BUSY, Galera certification: run it again
        unavailable,  // cannot reach the database, or lost the connection mid-way
        invalid,      // the statement itself is wrong (a bug in our SQL, or a bad parameter type)
    };
    Kind kind;
    std::string message;  // for logs; never sent to a client
};

std::string_view kind_name(Error::Kind kind);

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, std::string message) {
    return std::unexpected(Error{kind, std::move(message)});
}

}  // namespace idpd::store
