#include "web/return_to.h"

namespace idpd::web {

std::optional<std::string> safe_return_to(std::string_view target) {
    constexpr std::size_t max_length = 2048;
    if (target.empty() || target.size() > max_length || target[0] != '/') {
        return std::nullopt;
    }
    if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) {
        return std::nullopt;
    }
    for (unsigned char c : target) {
        // Controls (browsers strip tab and newline, so "/\t/evil" would become "//evil"),
        // space, backslash, DEL and non-ASCII.
        if (c <= 0x20 || c == '\\' || c >= 0x7f) {
            return std::nullopt;
        }
    }
    return std::string(target);
}

}  // namespace idpd::web
