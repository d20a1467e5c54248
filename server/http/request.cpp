#include "http/request.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace idpd::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

std::string_view method_name(Method m) {
    switch (m) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::patch:
            return "PATCH";
        case Method::del:
            return "DELETE";
        case Method::options:
            return "OPTIONS";
    }
    return "GET";
}

std::optional<Method> parse_method(std::string_view name) {
    static constexpr std::array methods{Method::get,   Method::head, Method::post,   Method::put,
                                        Method::patch, Method::del,  Method::options};
    for (Method m : methods) {
        if (method_name(m) == name) {
            return m;
        }
    }
    return std::nullopt;
}

std::optional<std::string> Headers::get(std::string_view name) const {
    for (const auto& [key, value] : fields_) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
    remove(name);
    fields_.emplace_back(std::string(name), std::move(value));
}

void Headers::add(std::string_view name, std::string value) {
    fields_.emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(fields_, [&](const auto& field) { return iequals(field.first, name); });
}

std::size_t Headers::byte_size() const {
    std::size_t total = 0;
    for (const auto& [key, value] : fields_) {
        total += key.size() + value.size() + 4;  // ": " and CRLF
    }
    return total;
}

std::vector<std::pair<std::string, std::string>> HttpRequest::query_params() const {
    return parse_urlencoded(query);
}

std::vector<std::pair<std::string, std::string>> HttpRequest::form_params() const {
    return parse_urlencoded(body);
}

std::optional<std::string> HttpRequest::path_param(std::string_view name) const {
    auto it = path_params.find(name);
    if (it == path_params.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) {
                out.push_back(c);
                continue;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        // RFC 3986 §2.3: only unreserved characters stay as they are.
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0x0F]);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        auto amp = text.find('&');
        std::string_view part = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (part.empty()) {
            continue;
        }
        auto eq = part.find('=');
        std::string_view key = part.substr(0, eq);
        std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
        out.emplace_back(url_decode(key, true), url_decode(value, true));
    }
    return out;
}

HttpResponse HttpResponse::text(int status, std::string body) {
    HttpResponse r{status, {}, std::move(body)};
    r.headers.set("Content-Type", "text/plain; charset=utf-8");
    return r;
}

HttpResponse HttpResponse::json(int status, std::string body) {
    HttpResponse r{status, {}, std::move(body)};
    r.headers.set("Content-Type", "application/json");
    return r;
}

HttpResponse HttpResponse::html(int status, std::string body) {
    HttpResponse r{status, {}, std::move(body)};
    r.headers.set("Content-Type", "text/html; charset=utf-8");
    return r;
}

HttpResponse HttpResponse::redirect(int status, std::string location) {
    HttpResponse r{status, {}, {}};
    r.headers.set("Location", std::move(location));
    return r;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "";
    }
}

}  // namespace idpd::http
