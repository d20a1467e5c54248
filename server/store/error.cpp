#include "store/error.h"

namespace idpd::store {

std::string_view kind_name(Error::Kind kind) {
    switch (kind) {
        case Error::Kind::not_found:
            return "not_found";
        case Error::Kind::conflict:
            return "conflict";
        case Error::Kind::retry:
            return "retry";
        case Error::Kind::unavailable:
            return "unavailable";
        case Error::Kind::invalid:
            return "invalid";
    }
    return "unknown";
}

}  // namespace idpd::store
