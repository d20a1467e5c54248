#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idpd::web {

// Where a page may send the browser after sign-in, sign-up or sign-out: only a path on this
// host. Accepted: "/account", "/authorize?client_id=…". Refused (nullopt): empty, anything not
// starting with a single '/', "//evil" and "/\evil" (browsers read both as another host), any
// backslash, absolute URLs ("https://evil", "javascript:…"), control characters, spaces,
// non-ASCII bytes (send them percent-encoded), and targets longer than 2048 bytes.
std::optional<std::string> safe_return_to(std::string_view target);

}  // namespace idpd::web
