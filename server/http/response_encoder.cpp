#include "http/response_encoder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <string_view>

namespace idpd::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_safe_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return std::isalnum(u) ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

bool is_safe_value(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
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
        out.append(http_date(now));
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
