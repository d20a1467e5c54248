#pragma once

#include <string>
#include <string_view>

#include "jose/error.h"

namespace idpd::jose {

// Bytes are held in std::string throughout jose/, as store::Blob does, so they move between the
// layers without copies into another container type.

// base64url without padding (RFC 7515 §2, RFC 4648 §5).
std::string base64url_encode(std::string_view bytes);

// The bytes `text` encodes. Strict, so that one token has exactly one spelling: refuses padding,
// whitespace, any character outside [A-Za-z0-9_-], a length of 4n+1, and non-zero trailing bits
// (RFC 4648 §3.5: a decoder MAY reject them; we do, or "QQ" and "QR" would both decode to "A").
// Errors: ErrorCode::malformed.
Result<std::string> base64url_decode(std::string_view text);

}  // namespace idpd::jose
