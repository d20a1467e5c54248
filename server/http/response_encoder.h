#pragma once

#include <chrono>
#include <string>

#include "http/request.h"

namespace idpd::http {

// How the connection frames one response.
struct ResponseFraming {
    bool head = false;           // answering HEAD: the fields only, no content
    bool keep_alive = true;      // false: announce `Connection: close` (the server then closes)
    bool http10_client = false;  // an HTTP/1.0 client must be told `Connection: keep-alive`
};

// The bytes of `response` on the wire (RFC 9112 §4–6): status line, the handler's fields in
// their order, Date (RFC 9110 §6.6.1, from `now`, unless the handler set one), Content-Length,
// Connection, then the content.
// - The framing fields are ours: a handler's Content-Length, Transfer-Encoding, Connection and
//   Keep-Alive are dropped, except that a HEAD answer keeps the Content-Length its handler set.
// - A field whose name is not a token or whose value holds CR, LF or NUL is dropped, so a value
//   copied from a request can never split the response.
// - 1xx, 204 and 304 carry no content and no Content-Length (RFC 9110 §8.6, §15.4.5).
std::string encode_response(const HttpResponse& response, const ResponseFraming& framing,
                            std::chrono::system_clock::time_point now);

// RFC 9110 §5.6.7 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::chrono::system_clock::time_point when);

}  // namespace idpd::http
