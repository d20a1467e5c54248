#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::http {

struct ParserLimits {
    std::size_t max_header_bytes = 16 * 1024;  // request line, fields and the blank line
    std::size_t max_body_bytes = 1024 * 1024;  // after de-chunking
};

// One request read off the wire.
struct ParsedRequest {
    HttpRequest request;     // method, path, query, headers, body and version filled in
    bool keep_alive = true;  // RFC 9112 §9.3: whether the client lets the connection persist
};

// Reads HTTP/1.1 and HTTP/1.0 requests (RFC 9112) from a byte stream, one after another, as the
// bytes arrive:
// - keeps the raw query and every header field in order, exactly as sent;
// - refuses what would let two HTTP parsers frame the same bytes differently (request
//   smuggling): Content-Length with Transfer-Encoding, differing Content-Lengths, a bare CR or
//   LF, folded lines, whitespace before a field's colon;
// - enforces the limits while reading, so it never buffers more than they allow.
class RequestParser {
public:
    enum class Status { need_more, complete, failed };

    struct Error {
        int status = 400;    // what to answer: 400, 413, 414, 431, 501 or 505
        std::string reason;  // safe to send: says what was wrong, never echoes input
    };

    explicit RequestParser(ParserLimits limits);

    // Consumes bytes from the front of `input`. Returns complete when a whole request has been
    // read (take() it; bytes of the next request stay in `input`), need_more when `input` ran
    // out first, failed when the request is malformed or over a limit. After a failure the
    // parser cannot tell where the next request starts, so the connection must be closed.
    Status feed(std::string_view& input);

    // The request completed by the last feed(); the parser is then ready for the next one.
    ParsedRequest take();

    // Valid after feed() returned failed.
    const Error& error() const { return error_; }

    // Bytes of a request (not just blank lines) have arrived and it is not complete yet.
    bool has_started() const;

    // The header section of the current request is in; its body may still be coming.
    bool headers_complete() const;

    // The client sent `Expect: 100-continue` and waits for an interim 100 before the body.
    bool expects_continue() const { return expects_continue_; }

private:
    enum class Stage {
        request_start,
        head,
        body,
        chunk_size,
        chunk_data,
        chunk_data_end,
        trailers,
        complete,
        failed
    };

    enum class Line { ready, need_more, malformed, too_long };

    Status read_head(std::string_view& input);
    bool parse_head();
    bool parse_request_line(std::string_view line);
    bool parse_fields(std::string_view fields);
    bool choose_framing();
    Status read_body(std::string_view& input);
    Status read_chunk_size(std::string_view& input);
    Status read_chunk_data(std::string_view& input);
    Status read_chunk_data_end(std::string_view& input);
    Status read_trailers(std::string_view& input);
    // Reads one CRLF-terminated line into line_ (without the CRLF); `limit` bounds its content.
    Line read_line(std::string_view& input, std::size_t limit);
    Status fail(int status, std::string reason);

    ParserLimits limits_;
    Stage stage_ = Stage::request_start;
    std::string head_;           // the header section, until its blank line
    std::string line_;           // a chunk-size, chunk-end or trailer line being read
    std::size_t remaining_ = 0;  // bytes of the body or of the current chunk still to read
    std::size_t trailer_bytes_ = 0;
    bool expects_continue_ = false;
    ParsedRequest parsed_;
    Error error_;
};

}  // namespace idpd::http
