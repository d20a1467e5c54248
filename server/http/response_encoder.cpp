#include "http/response_encoder.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <string_view>

namespace idpd::http {
namespace {

// Plain ASCII loops: every response runs these over every field (the security headers' CSP
// alone is hundreds of bytes), and find_first_of's memchr per byte and the locale-aware
// tolower/isalnum were a third of a cached JWKS answer's instructions.
char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `b` is lower case.
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != b[i]) {
            return false;
        }
    }
    return true;
}

// RFC 9110 §5.6.2 tchar.
constexpr std::array<bool, 256> token_chars = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c) {
        table[static_cast<std::size_t>(c)] = true;
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        table[static_cast<std::size_t>(c)] = true;
        table[static_cast<std::size_t>(c - 'a' + 'A')] = true;
    }
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}();

bool is_safe_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (char c : name) {
        if (!token_chars[static_cast<unsigned char>(c)]) {
            return false;
        }
    }
    return true;
}

bool is_safe_value(std::string_view value) {
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0') {
            return false;
        }
    }
    return true;
}

// The Date field changes once a second: format it once per second per thread.
const std::string& cached_http_date(std::chrono::system_clock::time_point now) {
    thread_local std::time_t formatted_second = -1;
    thread_local std::string formatted;
    const std::time_t second = std::chrono::system_clock::to_time_t(now);
    if (second != formatted_second) {
        formatted = http_date(now);
        formatted_second = second;
    }
    return formatted;
}

void append_two_digits(std::string& out, int value) {
    out.push_back(static_cast<char>('0' + value / 10));
    out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

std::string http_date(std::chrono::system_clock::time_point when) {
    // Fixed English names: strftime's %a and %b follow the locale.
    static constexpr std::array<std::string_view, 7> days{"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> months{
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::string out;
    out.reserve(29);
    out.append(days.at(static_cast<std::size_t>(utc.tm_wday)));
    out.append(", ");
    append_two_digits(out, utc.tm_mday);
    out.push_back(' ');
    out.append(months.at(static_cast<std::size_t>(utc.tm_mon)));
    out.push_back(' ');
    out.append(std::to_string(utc.tm_year + 1900));
    out.push_back(' ');
    append_two_digits(out, utc.tm_hour);
    out.push_back(':');
    append_two_digits(out, utc.tm_min);
    out.push_back(':');
    append_two_digits(out, utc.tm_sec);
    out.append(" GMT");
    return out;
}

std::string encode_response(const HttpResponse& response, const ResponseFraming& framing,
                            std::chrono::system_clock::time_point now) {
    int status = response.status;
    bool no_content = (status >= 100 && status < 200) || status == 204 || status == 304;
    bool send_body = !framing.head && !no_content;

    std::string out;
    out.reserve(256 + response.headers.byte_size() + (send_body ? response.body.size() : 0));
    out.append("HTTP/1.1 ");
    out.append(std::to_string(status));
    out.push_back(' ');
    out.append(reason_phrase(status));
    out.append("\r\n");

    bool has_date = false;
    bool has_length = false;
    for (const auto& [name, value] : response.headers.fields()) {
        if (!is_safe_name(name) || !is_safe_value(value)) {
            continue;
        }
        if (iequals(name, "connection") || iequals(name, "keep-alive") ||
            iequals(name, "transfer-encoding")) {
            continue;
        }
        if (iequals(name, "content-length")) {
            // A HEAD handler may state the length the GET would have had (RFC 9110 §9.3.2).
            if (!framing.head || no_content || has_length) {
                continue;
            }
            has_length = true;
        }
        has_date = has_date || iequals(name, "date");
        out.append(name);
        out.append(": ");
        out.append(value);
        out.append("\r\n");
    }
    if (!has_date) {
        out.append("Date: ");
        out.append(cached_http_date(now));
        out.append("\r\n");
    }
    if (!no_content && !has_length) {
        out.append("Content-Length: ");
        out.append(std::to_string(response.body.size()));
        out.append("\r\n");
    }
    if (!framing.keep_alive) {
        out.append("Connection: close\r\n");
    } else if (framing.http10_client) {
        out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    if (send_body) {
        out.append(response.body);
    }
    return out;
}

}  // namespace idpd::http
