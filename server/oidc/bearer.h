#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::oidc {

// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme is
// case-insensitive), or nullopt when there is none or the header uses another scheme.
std::optional<std::string> bearer_token(const http::HttpRequest& req);

// Whether two secrets are equal, in time that depends on neither (both are hashed first, so
// not even their lengths leak).
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace idpd::oidc
