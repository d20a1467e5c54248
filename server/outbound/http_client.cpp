#include "outbound/http_client.h"

#include <algorithm>
#include <cctype>

#include <httplib.h>

namespace idpd::outbound {
namespace {

struct Target {
    std::string origin;  // scheme://host:port
    std::string path;    // starts with '/'
};

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// Splits an absolute http(s) URL; nullopt for anything else (userinfo included: a credential
// never travels in a URL).
std::optional<Target> split_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else {
        return std::nullopt;
    }
    const auto slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    if (authority.empty() || authority.find('@') != std::string_view::npos ||
        std::ranges::any_of(
            authority, [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
        return std::nullopt;
    }
    Target t;
    t.origin = std::string(url.substr(0, url.size() - rest.size())) + std::string(authority);
    t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (t.path.find_first_of("\r\n ") != std::string::npos) {
        return std::nullopt;
    }
    return t;
}

std::string join_path(std::string_view base, std::string_view path) {
    std::string out(base);
    if (out.ends_with('/') && path.starts_with('/')) {
        out.pop_back();
    } else if (!out.ends_with('/') && !path.starts_with('/') && !path.empty()) {
        out.push_back('/');
    }
    out.append(path);
    return out;
}

CallError from_httplib(httplib::Error error, bool too_large) {
    using E = httplib::Error;
    if (too_large) {
        return {CallError::Kind::too_large, "response body too large"};
    }
    switch (error) {
        case E::Connection:
        case E::BindIPAddress:
            return {CallError::Kind::connect, httplib::to_string(error)};
        case E::SSLConnection:
        case E::SSLLoadingCerts:
        case E::SSLServerVerification:
            return {CallError::Kind::tls, httplib::to_string(error)};
        case E::ConnectionTimeout:
            return {CallError::Kind::timeout, httplib::to_string(error)};
        case E::Read:
            // cpp-httplib reports a read timeout as a read error.
            return {CallError::Kind::timeout, "read failed or timed out"};
        default:
            return {CallError::Kind::failed, httplib::to_string(error)};
    }
}

template <class Duration>
std::pair<time_t, time_t> sec_usec(Duration d) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return {static_cast<time_t>(us / 1'000'000), static_cast<time_t>(us % 1'000'000)};
}

}  // namespace

std::string_view kind_name(CallError::Kind kind) {
    switch (kind) {
        case CallError::Kind::bad_url:
            return "bad_url";
        case CallError::Kind::connect:
            return "connect";
        case CallError::Kind::tls:
            return "tls";
        case CallError::Kind::timeout:
            return "timeout";
        case CallError::Kind::too_large:
            return "too_large";
        case CallError::Kind::failed:
            break;
    }
    return "failed";
}

std::optional<std::string> Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out += httplib::detail::encode_query_param(key);
        out.push_back('=');
        out += httplib::detail::encode_query_param(value);
    }
    return out;
}

HttpClient::HttpClient(std::string base_url, ClientOptions options)
    : base_url_(std::move(base_url)), options_(std::move(options)) {}

Result<Response> HttpClient::get(std::string_view path, const Headers& headers) const {
    return send("GET", path, {}, {}, headers);
}

Result<Response> HttpClient::post(std::string_view path, std::string body,
                                  std::string_view content_type, const Headers& headers) const {
    return send("POST", path, std::move(body), content_type, headers);
}

Result<Response> HttpClient::post_form(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& fields,
    const Headers& headers) const {
    return send("POST", path, form_body(fields), "application/x-www-form-urlencoded", headers);
}

Result<Response> HttpClient::post_json(std::string_view path, std::string json,
                                       const Headers& headers) const {
    return send("POST", path, std::move(json), "application/json", headers);
}

Result<Response> HttpClient::send(std::string_view method, std::string_view path, std::string body,
                                  std::string_view content_type, const Headers& headers) const {
    std::optional<Target> target;
    if (path.starts_with("http://") || path.starts_with("https://")) {
        target = split_url(path);
    } else if (auto base = split_url(base_url_)) {
        target = Target{base->origin, join_path(base->path, path)};
        if (target->path.find_first_of("\r\n ") != std::string::npos) {
            target.reset();
        }
    }
    if (!target) {
        return std::unexpected(CallError{CallError::Kind::bad_url, "not an http(s) URL"});
    }

    httplib::Client client(target->origin);
    if (!client.is_valid()) {
        return std::unexpected(CallError{CallError::Kind::bad_url, "unusable URL"});
    }
    auto [cs, cu] = sec_usec(options_.connect_timeout);
    client.set_connection_timeout(cs, cu);
    auto [rs, ru] = sec_usec(options_.read_timeout);
    client.set_read_timeout(rs, ru);
    auto [ws, wu] = sec_usec(options_.write_timeout);
    client.set_write_timeout(ws, wu);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    client.enable_server_certificate_verification(true);
    if (!options_.ca_file.empty()) {
        client.set_ca_cert_path(options_.ca_file);
    }

    httplib::Request req;
    req.method = std::string(method);
    req.path = target->path;
    req.headers.emplace("User-Agent", options_.user_agent);
    for (const auto& [key, value] : headers) {
        if (key.find_first_of("\r\n") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos) {
            return std::unexpected(CallError{CallError::Kind::failed, "header with CR/LF"});
        }
        req.headers.emplace(key, value);
    }
    if (!content_type.empty()) {
        req.headers.emplace("Content-Type", std::string(content_type));
    }
    req.body = std::move(body);

    std::string received;
    bool too_large = false;
    const std::size_t limit = options_.max_response_bytes;
    req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
        if (received.size() + length > limit) {
            too_large = true;
            return false;
        }
        received.append(data, length);
        return true;
    };

    auto result = client.send(req);
    if (!result) {
        return std::unexpected(from_httplib(result.error(), too_large));
    }
    Response out;
    out.status = result->status;
    for (const auto& [key, value] : result->headers) {
        out.headers.emplace_back(key, value);
    }
    out.body = std::move(received);
    return out;
}

}  // namespace idpd::outbound
