#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jose/error.h"

namespace idpd::jose {

// Parses a JOSE header, a JWT claims set or a JWK: `text` must be one JSON object and nothing else.
// Refuses duplicate member names at any depth (RFC 7515 §5.2 allows rejecting them, and two
// parsers that pick different duplicates are how a header says one thing to us and another to an
// RP) and nesting deeper than 16 levels. Never throws. Errors: ErrorCode::malformed.
Result<nlohmann::json> parse_json_object(std::string_view text);

// `value` as compact JSON text (no whitespace, members in sorted order). Never throws: a string
// that is not valid UTF-8, which nlohmann::json::dump() would throw on, is ErrorCode::malformed.
Result<std::string> serialize_json(const nlohmann::json& value);

}  // namespace idpd::jose
