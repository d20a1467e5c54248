#pragma once

#include <expected>
#include <string>

namespace idpd::auth {

// Why an auth operation could not be done: refused options at start-up, or a library failure
// (out of memory). `message` is for logs and operators, never for a user's page.
struct Error {
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message) {
    return std::unexpected(Error{std::move(message)});
}

}  // namespace idpd::auth
