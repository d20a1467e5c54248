// outbound: the one way idpd calls another server (upstream identity providers, payment
// channels, SMS gateways, back-channel logout). cpp-httplib underneath, with TLS verification,
// timeouts, no redirects and a response-size limit on every call, and a base URL per upstream
// so tests point it at a loopback fake.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idpd::outbound {

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds read_timeout{10'000};  // per read, as cpp-httplib counts it
    std::chrono::milliseconds write_timeout{10'000};
    std::size_t max_response_bytes = 1024 * 1024;  // a larger body fails with too_large
    std::string ca_file;                           // PEM bundle; empty: the system's trust store
    std::string user_agent = "idpd";
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
    int status = 0;
    Headers headers;
    std::string body;

    // The first value of header `name` (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
};

struct CallError {
    enum class Kind {
        bad_url,    // the URL is not http(s)://host[:port][/path]
        connect,    // no connection (refused, unreachable, DNS)
        tls,        // handshake or certificate verification failed
        timeout,    // connect or read timed out
        too_large,  // the response body passed max_response_bytes
        failed,     // anything else the transport reported
    };
    Kind kind = Kind::failed;
    std::string detail;  // for logs; never shown to a browser
};

std::string_view kind_name(CallError::Kind kind);

template <class T>
using Result = std::expected<T, CallError>;

// application/x-www-form-urlencoded body from pairs.
std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields);

// One upstream's base URL ("https://api.github.com", "http://127.0.0.1:9000/base"). Each call
// opens its own connection, so an HttpClient may be shared by threads. Redirects are not
// followed: a 3xx comes back as the response.
class HttpClient {
public:
    HttpClient(std::string base_url, ClientOptions options = {});

    // `path` is appended to the base URL's path; an absolute URL ("https://…") is used as is.
    Result<Response> get(std::string_view path, const Headers& headers = {}) const;
    Result<Response> post(std::string_view path, std::string body, std::string_view content_type,
                          const Headers& headers = {}) const;
    Result<Response> post_form(std::string_view path,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               const Headers& headers = {}) const;
    Result<Response> post_json(std::string_view path, std::string json,
                               const Headers& headers = {}) const;

    const std::string& base_url() const { return base_url_; }

private:
    Result<Response> send(std::string_view method, std::string_view path, std::string body,
                          std::string_view content_type, const Headers& headers) const;

    std::string base_url_;
    ClientOptions options_;
};

}  // namespace idpd::outbound
