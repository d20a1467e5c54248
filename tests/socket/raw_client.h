// A blocking TCP client for socket tests that must see the bytes: connection reuse, closes,
// pipelining, interim responses. Everything is bounded by a timeout so a server bug fails a test
// instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idpd::http::test {

struct RawResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // in order, as received
    std::string body;

    std::optional<std::string> header(std::string_view name) const;
    std::size_t count(std::string_view name) const;
};

class RawClient {
public:
    // Connects to 127.0.0.1:port; throws std::runtime_error if that fails.
    explicit RawClient(std::uint16_t port);
    ~RawClient();

    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(std::string_view bytes);

    // Reads one response: status line, fields, then Content-Length bytes (none for a HEAD
    // answer, 1xx, 204 and 304). nullopt if it does not arrive whole within `timeout`.
    std::optional<RawResponse> read_response(
        bool answer_to_head = false,
        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    // True if the server closes the connection within `timeout` without sending anything more.
    bool closed_within(std::chrono::milliseconds timeout);

    // Bytes received but not consumed by read_response().
    const std::string& pending() const { return buffer_; }

private:
    // Reads what is available, waiting until `deadline`. False on EOF, error or timeout.
    bool receive(std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    std::string buffer_;
    bool eof_ = false;
};

}  // namespace idpd::http::test
