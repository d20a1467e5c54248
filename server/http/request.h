// http: the plain request and response values every handler sees, the router, the middleware and
// the Pistache adapter. Only http/pistache_server.cpp and http/connection_transport.* include
// Pistache.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idpd::http {

enum class Method { get, head, post, put, patch, del, options };

std::string_view method_name(Method m);
std::optional<Method> parse_method(std::string_view name);

// Header names compare without case (RFC 9110 §5.1); the order of fields is kept.
class Headers {
public:
    // First value of `name`, if present.
    std::optional<std::string> get(std::string_view name) const;

    bool has(std::string_view name) const { return get(name).has_value(); }

    // Replaces every field named `name` with one.
    void set(std::string_view name, std::string value);
    // Adds a field even if one of that name exists (Set-Cookie).
    void add(std::string_view name, std::string value);
    void remove(std::string_view name);

    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

    std::size_t byte_size() const;  // name + value + 4 per field, as on the wire

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
    Method method = Method::get;
    std::string path = "/";  // decoded path, without the query
    std::string query;       // raw query string, without '?'
    Headers headers;
    std::string body;
    std::string version = "HTTP/1.1";

    // Set by the adapter and by middleware, never from the client directly:
    std::string peer_ip;    // the TCP peer
    std::string client_ip;  // the peer, or X-Forwarded-For when the peer is a trusted proxy
    bool secure = false;    // TLS here, or X-Forwarded-Proto=https from a trusted proxy
    bool from_trusted_proxy = false;  // the peer is a configured proxy
    std::string request_id;
    std::map<std::string, std::string, std::less<>> path_params;  // from the route pattern
    std::string route;  // the pattern that matched ("/users/:id"), for metrics and logs

    // Query parameters in order, percent-decoded ('+' is a space, per HTML forms).
    std::vector<std::pair<std::string, std::string>> query_params() const;
    // application/x-www-form-urlencoded body fields, decoded the same way.
    std::vector<std::pair<std::string, std::string>> form_params() const;
    std::optional<std::string> path_param(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    Headers headers;
    std::string body;

    static HttpResponse text(int status, std::string body);
    static HttpResponse json(int status, std::string body);
    static HttpResponse html(int status, std::string body);
    static HttpResponse redirect(int status, std::string location);
};

// Parses "a=1&b=two+words&c=%E4%B8%AD" into pairs. Malformed escapes are kept literally.
std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view text);
std::string url_decode(std::string_view text, bool plus_is_space);
std::string url_encode(std::string_view text);

// The standard reason phrase for a status code ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace idpd::http
