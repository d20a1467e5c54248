#include "http/acceptor.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace idpd::http {
namespace {

using Clock = std::chrono::steady_clock;

// How long to stop accepting after running out of descriptors, instead of spinning on it.
constexpr auto descriptor_backoff = std::chrono::milliseconds(100);

void close_if_open(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

// Creates, binds and listens; returns the socket or an error in the words of an operator.
std::expected<int, std::string> open_listening_socket(const AcceptorOptions& options) {
    std::string where = options.address + ":" + std::to_string(options.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string port = std::to_string(options.port);
    int resolved = ::getaddrinfo(options.address.empty() ? nullptr : options.address.c_str(),
                                 port.c_str(), &hints, &found);
    if (resolved != 0) {
        return std::unexpected("cannot listen on " + where + ": " + ::gai_strerror(resolved));
    }
    int last_error = 0;
    int fd = -1;
    for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
        fd = ::socket(candidate->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      candidate->ai_protocol);
        if (fd < 0) {
            last_error = errno;
            continue;
        }
        // A restart must not wait for the previous process's TIME_WAIT connections.
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 &&
            ::listen(fd, SOMAXCONN) == 0) {
            break;
        }
        last_error = errno;
        close_if_open(fd);
    }
    ::freeaddrinfo(found);
    if (fd >= 0) {
        return fd;
    }
    if (last_error == EADDRINUSE) {
        return std::unexpected("port " + std::to_string(options.port) + " is already in use");
    }
    return std::unexpected("cannot listen on " + where + ": " + std::strerror(last_error));
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return 0;
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    }
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

std::expected<std::unique_ptr<Acceptor>, std::string> Acceptor::listen(
    const AcceptorOptions& options, std::optional<TlsContext> tls, Accepted accepted) {
    auto fd = open_listening_socket(options);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    std::unique_ptr<Acceptor> acceptor(new Acceptor(options, std::move(tls), std::move(accepted)));
    acceptor->listen_fd_ = *fd;
    acceptor->port_ = bound_port(*fd);
    acceptor->epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    acceptor->wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (acceptor->epoll_fd_ < 0 || acceptor->wake_fd_ < 0) {
        return std::unexpected(std::string("cannot create the acceptor's descriptors: ") +
                               std::strerror(errno));
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = acceptor->wake_fd_;
    ::epoll_ctl(acceptor->epoll_fd_, EPOLL_CTL_ADD, acceptor->wake_fd_, &wake);
    acceptor->set_listening(true);
    return acceptor;
}

Acceptor::Acceptor(const AcceptorOptions& options, std::optional<TlsContext> tls, Accepted accepted)
    : options_(options),
      accepted_(std::move(accepted)),
      https_(tls.has_value()),
      tls_(std::move(tls)) {}

Acceptor::~Acceptor() {
    stop();
}

void Acceptor::start() {
    thread_ = std::thread([this] { run(); });
}

void Acceptor::set_tls(TlsContext context) {
    std::lock_guard lock(tls_mutex_);
    tls_ = std::move(context);
}

std::optional<TlsContext> Acceptor::current_tls() const {
    std::lock_guard lock(tls_mutex_);
    return tls_;
}

void Acceptor::stop() {
    std::lock_guard lock(stop_mutex_);
    if (stopped_) {
        return;
    }
    stopped_ = true;
    stopping_ = true;
    if (wake_fd_ >= 0) {
        std::uint64_t one = 1;
        while (::write(wake_fd_, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    for (auto& [fd, handshake] : handshakes_) {
        SSL_free(handshake.tls);
        ::close(fd);
    }
    handshakes_.clear();
    close_if_open(listen_fd_);
    close_if_open(epoll_fd_);
    close_if_open(wake_fd_);
}

void Acceptor::run() {
    // OpenSSL writes handshakes with write(): a client hanging up would raise SIGPIPE.
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);

    std::vector<epoll_event> events(64);
    while (!stopping_) {
        int ready = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                                 next_wake_ms(Clock::now()));
        if (ready < 0 && errno != EINTR) {
            spdlog::error("acceptor: epoll_wait: {}", std::strerror(errno));
            return;
        }
        if (stopping_) {
            return;
        }
        auto now = Clock::now();
        for (int i = 0; i < ready; ++i) {
            int fd = events[static_cast<std::size_t>(i)].data.fd;
            if (fd == wake_fd_) {
                std::uint64_t count = 0;
                while (::read(wake_fd_, &count, sizeof count) > 0) {
                }
            } else if (fd == listen_fd_) {
                accept_all(now);
            } else {
                advance(fd);
            }
        }
        expire(Clock::now());
        if (!listening_ && handshakes_.size() < options_.max_handshakes &&
            Clock::now() >= resume_at_) {
            set_listening(true);
        }
    }
}

void Acceptor::accept_all(Clock::time_point now) {
    for (;;) {
        if (https_ && handshakes_.size() >= options_.max_handshakes) {
            set_listening(false);  // the kernel backlog holds the rest
            return;
        }
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                spdlog::warn("acceptor: {}; pausing for {} ms", std::strerror(errno),
                             descriptor_backoff.count());
                resume_at_ = now + descriptor_backoff;
                set_listening(false);
            }
            return;
        }
        // Responses go out in one write; waiting to coalesce them would only add latency.
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (https_) {
            begin_handshake(fd, peer, now);
        } else {
            accepted_(fd, peer, nullptr);
        }
    }
}

void Acceptor::begin_handshake(int fd, const sockaddr_storage& peer, Clock::time_point now) {
    auto context = current_tls();
    SSL* tls = context ? SSL_new(context->native()) : nullptr;
    if (tls == nullptr || SSL_set_fd(tls, fd) != 1) {
        spdlog::error("acceptor: cannot start a TLS session");
        ERR_clear_error();
        SSL_free(tls);
        ::close(fd);
        return;
    }
    SSL_set_accept_state(tls);
    epoll_event interest{};
    interest.events = EPOLLIN;
    interest.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &interest);
    handshakes_[fd] = Handshake{tls, peer, now + options_.handshake_timeout};
    advance(fd);
}

void Acceptor::advance(int fd) {
    auto it = handshakes_.find(fd);
    if (it == handshakes_.end()) {
        return;
    }
    SSL* tls = it->second.tls;
    ERR_clear_error();
    int result = SSL_do_handshake(tls);
    if (result == 1) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        sockaddr_storage peer = it->second.peer;
        handshakes_.erase(it);
        accepted_(fd, peer, tls);
        return;
    }
    epoll_event interest{};
    interest.data.fd = fd;
    switch (SSL_get_error(tls, result)) {
        case SSL_ERROR_WANT_READ:
            interest.events = EPOLLIN;
            break;
        case SSL_ERROR_WANT_WRITE:
            interest.events = EPOLLOUT;
            break;
        default:
            // Scanners, plain HTTP on the HTTPS port, clients that reject our certificate.
            ERR_clear_error();
            abandon(fd);
            return;
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &interest);
}

void Acceptor::abandon(int fd) {
    auto it = handshakes_.find(fd);
    if (it == handshakes_.end()) {
        return;
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    SSL_free(it->second.tls);
    ::close(fd);
    handshakes_.erase(it);
}

void Acceptor::expire(Clock::time_point now) {
    std::vector<int> late;
    for (const auto& [fd, handshake] : handshakes_) {
        if (handshake.deadline <= now) {
            late.push_back(fd);
        }
    }
    for (int fd : late) {
        abandon(fd);
    }
}

void Acceptor::set_listening(bool listening) {
    if (listening == listening_) {
        return;
    }
    epoll_event interest{};
    interest.events = EPOLLIN;
    interest.data.fd = listen_fd_;
    ::epoll_ctl(epoll_fd_, listening ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listen_fd_, &interest);
    listening_ = listening;
}

int Acceptor::next_wake_ms(Clock::time_point now) const {
    std::optional<Clock::time_point> next;
    for (const auto& [fd, handshake] : handshakes_) {
        next = next ? std::min(*next, handshake.deadline) : handshake.deadline;
    }
    if (!listening_ && resume_at_ > now) {
        next = next ? std::min(*next, resume_at_) : resume_at_;
    }
    if (!next) {
        return -1;
    }
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
    return static_cast<int>(std::clamp<std::int64_t>(wait, 0, 60000));
}

}  // namespace idpd::http
