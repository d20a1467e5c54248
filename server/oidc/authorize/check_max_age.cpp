// - max_age is a non-negative number of seconds (OIDC Core §3.1.2.1); the end-user must have
//   signed in within it, or sign in again.
#include <charconv>

#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<std::optional<std::int64_t>> check_max_age(const AuthorizeRequest& request) {
    auto text = request.get("max_age");
    if (!text) {
        return std::optional<std::int64_t>();
    }
    std::int64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || ptr != end || value < 0 || text->size() > 10) {
        return fail(ErrorCode::invalid_request, "max_age must be a non-negative integer");
    }
    return std::optional<std::int64_t>(value);
}

}  // namespace idpd::oidc
