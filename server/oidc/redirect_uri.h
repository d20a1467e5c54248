#pragma once

#include <string_view>

#include "oidc/errors.h"

namespace idpd::oidc {

// Whether `uri` may be registered as a redirect_uri:
// - absolute, without a fragment (RFC 6749 §3.1.2), no whitespace or control characters,
//   at most 2048 bytes;
// - https with a host and no userinfo (RFC 6749 §3.1.2.1, OAuth 2.1 §7.5.1), or
// - http only on a loopback host, 127.0.0.1, [::1] or localhost (RFC 8252 §7.3), or
// - a private-use scheme with a '.' (reverse domain name, RFC 8252 §7.1), which also keeps out
//   javascript:, data:, file: and the like.
// Errors: invalid_request naming the rule.
Result<void> validate_redirect_uri(std::string_view uri);

}  // namespace idpd::oidc
