#include "socket/raw_client.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace idpd::http::test {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::optional<std::string> RawResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::size_t RawResponse::count(std::string_view name) const {
    return static_cast<std::size_t>(
        std::count_if(headers.begin(), headers.end(),
                      [&](const auto& field) { return iequals(field.first, name); }));
}

RawClient::RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::string error = std::strerror(errno);
        ::close(fd_);
        throw std::runtime_error("connect: " + error);
    }
}

RawClient::~RawClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void RawClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

bool RawClient::receive(std::chrono::steady_clock::time_point deadline) {
    if (eof_) {
        return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
        return false;
    }
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) {
        return false;
    }
    char chunk[16384];
    ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
}

std::optional<RawResponse> RawClient::read_response(bool answer_to_head,
                                                    std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!receive(deadline)) {
            return std::nullopt;
        }
    }
    RawResponse response;
    std::string_view head(buffer_.data(), head_end + 2);
    auto line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
        return std::nullopt;
    }
    response.status = std::stoi(std::string(status_line.substr(9, 3)));
    head.remove_prefix(line_end + 2);
    while (!head.empty()) {
        auto end = head.find("\r\n");
        std::string_view line = head.substr(0, end);
        head.remove_prefix(end + 2);
        auto colon = line.find(':');
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
        response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    buffer_.erase(0, head_end + 4);

    bool no_body = answer_to_head || response.status / 100 == 1 || response.status == 204 ||
                   response.status == 304;
    std::size_t length = 0;
    if (!no_body) {
        auto declared = response.header("Content-Length");
        length = declared ? std::stoul(*declared) : 0;
    }
    while (buffer_.size() < length) {
        if (!receive(deadline)) {
            return std::nullopt;
        }
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
}

bool RawClient::closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t before = buffer_.size();
    while (receive(deadline)) {
    }
    return eof_ && buffer_.size() == before;
}

}  // namespace idpd::http::test
