#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace idpd::http {

// One part of a multipart/form-data body (RFC 7578): a form field, or a file with its name.
struct FormPart {
    std::string name;
    std::optional<std::string> filename;  // set for a file input
    std::string content_type;             // as the browser declared it; never trusted
    std::string body;
};

// The parts of `req`'s multipart/form-data body (RFC 7578, RFC 2046 §5.1.1), in order; nullopt
// when the request is not multipart/form-data or the body is malformed (no boundary, a part
// without headers' end or without a name, no closing delimiter). At most `max_parts` parts.
std::optional<std::vector<FormPart>> parse_multipart(const HttpRequest& req,
                                                     std::size_t max_parts = 16);

}  // namespace idpd::http
