#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <sys/socket.h>

#include "http/tls_context.h"

// OpenSSL's SSL, named without including OpenSSL.
struct ssl_st;

namespace idpd::http {

struct AcceptorOptions {
    std::string address = "0.0.0.0";
    std::uint16_t port = 0;  // 0: any free port
    // A TLS handshake not finished by then is dropped.
    std::chrono::milliseconds handshake_timeout{10000};
    // Handshakes in progress at once; beyond that, new connections wait in the kernel backlog.
    std::size_t max_handshakes = 1024;
};

// Accepts TCP connections on one thread of its own and, for HTTPS, completes each TLS handshake
// there too, without blocking: a client that connects and says nothing delays no one, and is
// dropped at its deadline. (Pistache's listener does each handshake to completion, one at a
// time, on a blocking socket: one silent client stops all accepting for 10 s.)
class Acceptor {
public:
    // Called on the acceptor thread with a connected non-blocking socket and, for HTTPS, its
    // TLS session with the handshake done. The callee owns both from then on.
    using Accepted = std::function<void(int fd, const sockaddr_storage& peer, ssl_st* tls)>;

    // Binds and listens. With `tls`, every connection is HTTPS. Never throws; errors are one
    // line: "port 8080 is already in use", "cannot listen on 10.0.0.9:8080: ...".
    static std::expected<std::unique_ptr<Acceptor>, std::string> listen(
        const AcceptorOptions& options, std::optional<TlsContext> tls, Accepted accepted);

    ~Acceptor();  // stop()

    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    // The bound port.
    std::uint16_t port() const { return port_; }

    // Starts the thread; connections queued since listen() are taken first. Call once.
    void start();

    // For HTTPS: handshakes that start from now on present this certificate. Any thread.
    void set_tls(TlsContext context);

    // Closes the listening socket, so new connections are refused, drops the handshakes in
    // progress and joins the thread. Idempotent; any thread.
    void stop();

private:
    struct Handshake {
        ssl_st* tls = nullptr;
        sockaddr_storage peer{};
        std::chrono::steady_clock::time_point deadline;
    };

    Acceptor(const AcceptorOptions& options, std::optional<TlsContext> tls, Accepted accepted);

    void run();
    void accept_all(std::chrono::steady_clock::time_point now);
    void begin_handshake(int fd, const sockaddr_storage& peer,
                         std::chrono::steady_clock::time_point now);
    void advance(int fd);
    void abandon(int fd);
    void expire(std::chrono::steady_clock::time_point now);
    void set_listening(bool listening);
    int next_wake_ms(std::chrono::steady_clock::time_point now) const;
    std::optional<TlsContext> current_tls() const;

    AcceptorOptions options_;
    Accepted accepted_;
    bool https_ = false;
    int listen_fd_ = -1;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::uint16_t port_ = 0;

    // Touched by the acceptor thread only.
    std::unordered_map<int, Handshake> handshakes_;
    bool listening_ = false;
    std::chrono::steady_clock::time_point resume_at_{};  // after running out of descriptors

    mutable std::mutex tls_mutex_;
    std::optional<TlsContext> tls_;

    std::mutex stop_mutex_;
    std::atomic<bool> stopping_{false};
    bool stopped_ = false;
    std::thread thread_;
};

}  // namespace idpd::http
