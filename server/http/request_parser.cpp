#include "http/request_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

namespace idpd::http {
namespace {

// A chunk-size line is a hex number and maybe extensions we ignore; nothing legitimate is long.
constexpr std::size_t max_chunk_line_bytes = 1024;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// RFC 9110 §5.6.2.
bool is_tchar(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

// RFC 9110 §5.6.3: optional whitespace is spaces and tabs.
std::string_view trim_ows(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Calls `visit` with each trimmed element of a comma-separated list (RFC 9110 §5.6.1).
template <typename Visit>
void for_each_element(std::string_view list, Visit visit) {
    while (true) {
        auto comma = list.find(',');
        visit(trim_ows(list.substr(0, comma)));
        if (comma == std::string_view::npos) {
            return;
        }
        list.remove_prefix(comma + 1);
    }
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

RequestParser::RequestParser(ParserLimits limits) : limits_(limits) {}

RequestParser::Status RequestParser::feed(std::string_view& input) {
    for (;;) {
        Status step = Status::complete;
        switch (stage_) {
            case Stage::complete:
                return Status::complete;
            case Stage::failed:
                return Status::failed;
            case Stage::request_start:
                // RFC 9112 §2.2: ignore blank lines before a request line; some clients send a
                // CRLF after a POST body.
                while (!input.empty() && (input.front() == '\r' || input.front() == '\n')) {
                    input.remove_prefix(1);
                }
                if (input.empty()) {
                    return Status::need_more;
                }
                stage_ = Stage::head;
                continue;
            case Stage::head:
                step = read_head(input);
                break;
            case Stage::body:
                step = read_body(input);
                break;
            case Stage::chunk_size:
                step = read_chunk_size(input);
                break;
            case Stage::chunk_data:
                step = read_chunk_data(input);
                break;
            case Stage::chunk_data_end:
                step = read_chunk_data_end(input);
                break;
            case Stage::trailers:
                step = read_trailers(input);
                break;
        }
        // `complete` from a step means it finished its part; the loop goes on to the next one.
        if (step != Status::complete) {
            return step;
        }
    }
}

ParsedRequest RequestParser::take() {
    ParsedRequest done = std::move(parsed_);
    parsed_ = ParsedRequest{};
    stage_ = Stage::request_start;
    head_.clear();
    line_.clear();
    remaining_ = 0;
    trailer_bytes_ = 0;
    expects_continue_ = false;
    return done;
}

bool RequestParser::has_started() const {
    return stage_ != Stage::request_start && stage_ != Stage::complete && stage_ != Stage::failed;
}

bool RequestParser::headers_complete() const {
    return stage_ != Stage::request_start && stage_ != Stage::head && stage_ != Stage::failed;
}

RequestParser::Status RequestParser::read_head(std::string_view& input) {
    std::size_t old_size = head_.size();
    std::size_t take = std::min(input.size(), limits_.max_header_bytes - old_size);
    head_.append(input.substr(0, take));
    // The blank line may straddle two reads: look back three bytes.
    auto end = head_.find("\r\n\r\n", old_size >= 3 ? old_size - 3 : 0);
    // A bare LF would never complete the "\r\n\r\n": refuse it as it arrives rather than wait
    // for the header timeout. Only up to the blank line: what follows in the same read is the
    // body (a PNG's signature holds a bare LF). parse_head() checks the rest.
    const std::size_t scanned = end == std::string::npos ? head_.size() : end + 4;
    for (std::size_t i = std::max<std::size_t>(old_size, 1); i < scanned; ++i) {
        if (head_[i] == '\n' && head_[i - 1] != '\r') {
            input.remove_prefix(take);
            return fail(400, "malformed line ending");
        }
    }
    if (end == std::string::npos) {
        input.remove_prefix(take);
        if (head_.size() >= limits_.max_header_bytes) {
            // RFC 9110 §15.5.15 and RFC 6585 §5: say whether the target or the fields are long.
            return head_.find("\r\n") == std::string::npos
                       ? fail(414, "request line too long")
                       : fail(431, "request header fields too large");
        }
        return Status::need_more;
    }
    std::size_t head_size = end + 4;
    input.remove_prefix(head_size - old_size);
    head_.resize(head_size);
    if (!parse_head()) {
        return Status::failed;
    }
    head_.clear();
    return Status::complete;
}

bool RequestParser::parse_head() {
    // RFC 9112 §2.2: a bare CR is invalid. A bare LF is a line end some parsers accept, so
    // accepting or ignoring it here could frame requests differently from a proxy: refuse both.
    for (std::size_t i = 0; i < head_.size(); ++i) {
        char c = head_[i];
        bool bare_lf = c == '\n' && (i == 0 || head_[i - 1] != '\r');
        bool bare_cr = c == '\r' && (i + 1 == head_.size() || head_[i + 1] != '\n');
        if (c == '\0' || bare_lf || bare_cr) {
            fail(400, "malformed line ending");
            return false;
        }
    }
    auto line_end = head_.find("\r\n");
    if (!parse_request_line(std::string_view(head_).substr(0, line_end))) {
        return false;
    }
    std::string_view fields(head_);
    fields = fields.substr(line_end + 2, fields.size() - (line_end + 2) - 2);
    return parse_fields(fields) && choose_framing();
}

bool RequestParser::parse_request_line(std::string_view line) {
    // RFC 9112 §3: method SP request-target SP HTTP-version, with single spaces.
    auto first = line.find(' ');
    auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
        fail(400, "malformed request line");
        return false;
    }
    std::string_view method = line.substr(0, first);
    std::string_view target = line.substr(first + 1, second - first - 1);
    std::string_view version = line.substr(second + 1);

    if (version == "HTTP/1.1" || version == "HTTP/1.0") {
        parsed_.request.version = std::string(version);
    } else {
        bool well_formed = version.size() == 8 && version.starts_with("HTTP/") &&
                           std::isdigit(static_cast<unsigned char>(version[5])) &&
                           version[6] == '.' &&
                           std::isdigit(static_cast<unsigned char>(version[7]));
        fail(well_formed ? 505 : 400,
             well_formed ? "HTTP version not supported" : "malformed HTTP version");
        return false;
    }
    if (!is_token(method) || target.empty()) {
        fail(400, "malformed request line");
        return false;
    }
    auto parsed_method = parse_method(method);
    if (!parsed_method) {
        // RFC 9110 §9.1: a method the server does not implement gets 501 (405 is for a known
        // method that the target does not allow, the router's business).
        fail(501, "method not implemented");
        return false;
    }
    parsed_.request.method = *parsed_method;

    for (char c : target) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '#') {
            fail(400, "malformed request target");
            return false;
        }
    }
    if (target == "*") {
        // RFC 9112 §3.2.4: the asterisk form is for a server-wide OPTIONS only.
        if (*parsed_method != Method::options) {
            fail(400, "malformed request target");
            return false;
        }
        // assign(1, c), not = "*": GCC 12 warns falsely on short literals (PR 105329).
        parsed_.request.path.assign(1, '*');
        parsed_.request.query.clear();
        return true;
    }
    if (target.front() != '/') {
        // RFC 9112 §3.2.2: a server MUST accept the absolute form; the path is what follows
        // the authority.
        std::string_view scheme_end = "://";
        if (!starts_with_ignoring_case(target, "http://") &&
            !starts_with_ignoring_case(target, "https://")) {
            fail(400, "malformed request target");
            return false;
        }
        target.remove_prefix(target.find(scheme_end) + scheme_end.size());
        auto path_start = target.find_first_of("/?");
        target =
            path_start == std::string_view::npos ? std::string_view{} : target.substr(path_start);
    }
    auto question = target.find('?');
    std::string_view raw_path = target.substr(0, question);
    parsed_.request.path = raw_path.empty() ? "/" : url_decode(raw_path, false);
    parsed_.request.query = question == std::string_view::npos
                                ? std::string{}
                                : std::string(target.substr(question + 1));
    // A NUL has no business in a path and truncates it for any C API further down.
    if (parsed_.request.path.find('\0') != std::string::npos) {
        fail(400, "malformed request target");
        return false;
    }
    return true;
}

bool RequestParser::parse_fields(std::string_view fields) {
    while (!fields.empty()) {
        auto line_end = fields.find("\r\n");
        std::string_view line = fields.substr(0, line_end);
        fields.remove_prefix(line_end + 2);
        // RFC 9112 §5.2: obsolete line folding may be refused with 400.
        if (line.empty() || line.front() == ' ' || line.front() == '\t') {
            fail(400, "malformed header field");
            return false;
        }
        auto colon = line.find(':');
        // RFC 9112 §5.1: whitespace between the name and the colon MUST be refused; is_token
        // covers it.
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
            fail(400, "malformed header field");
            return false;
        }
        std::string_view value = trim_ows(line.substr(colon + 1));
        // RFC 9110 §5.5: control characters other than HTAB are invalid in a value.
        bool has_control = std::any_of(value.begin(), value.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\t') || u == 0x7F;
        });
        if (has_control) {
            fail(400, "malformed header field");
            return false;
        }
        parsed_.request.headers.add(line.substr(0, colon), std::string(value));
    }
    return true;
}

bool RequestParser::choose_framing() {
    const HttpRequest& request = parsed_.request;
    bool http10 = request.version == "HTTP/1.0";
    std::size_t hosts = 0;
    bool chunked_only = true;
    bool has_transfer_encoding = false;
    bool content_length_too_large = false;
    bool content_length_malformed = false;
    std::optional<std::uint64_t> content_length;
    bool asks_close = false;
    bool asks_keep_alive = false;
    std::optional<std::string_view> expect;

    for (const auto& [name, value] : request.headers.fields()) {
        if (iequals(name, "host")) {
            ++hosts;
        } else if (iequals(name, "transfer-encoding")) {
            has_transfer_encoding = true;
            for_each_element(value, [&](std::string_view coding) {
                if (!iequals(coding, "chunked")) {
                    chunked_only = false;
                }
            });
        } else if (iequals(name, "content-length")) {
            // RFC 9112 §6.3: a list of identical values counts as one; anything else is fatal.
            for_each_element(value, [&](std::string_view digits) {
                std::uint64_t length = 0;
                auto [end, error] =
                    std::from_chars(digits.data(), digits.data() + digits.size(), length);
                bool all_digits =
                    !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
                if (!all_digits) {
                    content_length_malformed = true;
                } else if (error == std::errc::result_out_of_range) {
                    content_length_too_large = true;
                } else if (content_length && *content_length != length) {
                    content_length_malformed = true;
                } else {
                    content_length = length;
                }
            });
        } else if (iequals(name, "connection")) {
            for_each_element(value, [&](std::string_view option) {
                asks_close = asks_close || iequals(option, "close");
                asks_keep_alive = asks_keep_alive || iequals(option, "keep-alive");
            });
        } else if (iequals(name, "expect")) {
            expect = value;
        }
    }

    // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host gets 400.
    if (hosts > 1 || (!http10 && hosts == 0)) {
        fail(400, "missing or repeated Host");
        return false;
    }
    if (content_length_malformed) {
        fail(400, "malformed Content-Length");
        return false;
    }
    if (has_transfer_encoding) {
        // RFC 9112 §6.1: both framings at once, or chunked from an HTTP/1.0 client, is how
        // smuggling starts; refuse rather than guess.
        if (content_length || content_length_too_large || http10) {
            fail(400, "conflicting message framing");
            return false;
        }
        if (!chunked_only) {
            fail(501, "transfer coding not implemented");
            return false;
        }
        stage_ = Stage::chunk_size;
    } else if (content_length_too_large ||
               (content_length && *content_length > limits_.max_body_bytes)) {
        fail(413, "request body too large");
        return false;
    } else if (content_length && *content_length > 0) {
        remaining_ = static_cast<std::size_t>(*content_length);
        // Grow past this as bytes arrive: a client that only announces a body gets no memory.
        parsed_.request.body.reserve(std::min<std::size_t>(remaining_, 64 * 1024));
        stage_ = Stage::body;
    } else {
        stage_ = Stage::complete;
    }

    // RFC 9112 §9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked to.
    parsed_.keep_alive = !asks_close && (!http10 || asks_keep_alive);
    // RFC 9110 §10.1.1: the interim 100 only makes sense for 1.1 with a body to come.
    expects_continue_ =
        !http10 && expect && iequals(*expect, "100-continue") && stage_ != Stage::complete;
    return true;
}

RequestParser::Status RequestParser::read_body(std::string_view& input) {
    std::size_t take = std::min(input.size(), remaining_);
    parsed_.request.body.append(input.substr(0, take));
    input.remove_prefix(take);
    remaining_ -= take;
    if (remaining_ > 0) {
        return Status::need_more;
    }
    stage_ = Stage::complete;
    return Status::complete;
}

RequestParser::Status RequestParser::read_chunk_size(std::string_view& input) {
    switch (read_line(input, max_chunk_line_bytes)) {
        case Line::need_more:
            return Status::need_more;
        case Line::malformed:
        case Line::too_long:
            return fail(400, "malformed chunk");
        case Line::ready:
            break;
    }
    // RFC 9112 §7.1: chunk-size [ chunk-ext ]; extensions are ignored.
    std::string_view line(line_);
    std::uint64_t size = 0;
    auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    std::string_view rest = trim_ows(line.substr(static_cast<std::size_t>(end - line.data())));
    if (end == line.data() || (!rest.empty() && rest.front() != ';')) {
        return fail(400, "malformed chunk");
    }
    std::size_t room = limits_.max_body_bytes - parsed_.request.body.size();
    if (error == std::errc::result_out_of_range || size > room) {
        return fail(413, "request body too large");
    }
    line_.clear();
    remaining_ = static_cast<std::size_t>(size);
    stage_ = remaining_ == 0 ? Stage::trailers : Stage::chunk_data;
    return Status::complete;
}

RequestParser::Status RequestParser::read_chunk_data(std::string_view& input) {
    std::size_t take = std::min(input.size(), remaining_);
    parsed_.request.body.append(input.substr(0, take));
    input.remove_prefix(take);
    remaining_ -= take;
    if (remaining_ > 0) {
        return Status::need_more;
    }
    stage_ = Stage::chunk_data_end;
    return Status::complete;
}

RequestParser::Status RequestParser::read_chunk_data_end(std::string_view& input) {
    switch (read_line(input, 0)) {
        case Line::need_more:
            return Status::need_more;
        case Line::malformed:
        case Line::too_long:
            return fail(400, "malformed chunk");
        case Line::ready:
            break;
    }
    if (!line_.empty()) {
        return fail(400, "malformed chunk");
    }
    stage_ = Stage::chunk_size;
    return Status::complete;
}

RequestParser::Status RequestParser::read_trailers(std::string_view& input) {
    // RFC 9110 §6.5.1: trailer fields may be discarded; they still count against the header
    // limit so they cannot grow without bound.
    for (;;) {
        std::size_t budget = limits_.max_header_bytes > trailer_bytes_
                                 ? limits_.max_header_bytes - trailer_bytes_
                                 : 0;
        switch (read_line(input, budget)) {
            case Line::need_more:
                return Status::need_more;
            case Line::malformed:
                return fail(400, "malformed trailer");
            case Line::too_long:
                return fail(431, "request header fields too large");
            case Line::ready:
                break;
        }
        bool blank = line_.empty();
        trailer_bytes_ += line_.size() + 2;
        line_.clear();
        if (blank) {
            stage_ = Stage::complete;
            return Status::complete;
        }
    }
}

RequestParser::Line RequestParser::read_line(std::string_view& input, std::size_t limit) {
    auto newline = input.find('\n');
    std::size_t take = newline == std::string_view::npos ? input.size() : newline + 1;
    if (line_.size() + take > limit + 2) {
        return Line::too_long;
    }
    line_.append(input.substr(0, take));
    input.remove_prefix(take);
    if (newline == std::string_view::npos) {
        return Line::need_more;
    }
    if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
        return Line::malformed;
    }
    line_.resize(line_.size() - 2);
    if (line_.find_first_of("\r\n") != std::string::npos || line_.find('\0') != std::string::npos) {
        return Line::malformed;
    }
    return Line::ready;
}

RequestParser::Status RequestParser::fail(int status, std::string reason) {
    stage_ = Stage::failed;
    error_ = Error{status, std::move(reason)};
    return Status::failed;
}

}  // namespace idpd::http
