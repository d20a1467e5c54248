#pragma once

#include <optional>
#include <string>
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
// This one function checks every registered URI, from the CLI, dynamic registration, client
// files and the admin API.
Result<void> validate_redirect_uri(std::string_view uri);

// The lower-cased host of an http(s) URI ("[::1]" bracketed, no port), or nullopt (another
// scheme, no host). Pairwise subjects use it as the sector (OIDC Core §8.1).
std::optional<std::string> redirect_uri_host(std::string_view uri);

}  // namespace idpd::oidc
