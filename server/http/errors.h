#pragma once

#include <string_view>

#include "http/request.h"

namespace idpd::http {

// True when the client prefers a page to JSON (a browser's Accept names text/html).
bool prefers_html(const HttpRequest& req);

// An error the client can read: JSON {"error": code, "error_description": message} or, for a
// browser, a small page. `message` is public: it never carries internal detail.
HttpResponse error_response(const HttpRequest& req, int status, std::string_view code,
                            std::string_view message);

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace idpd::http
