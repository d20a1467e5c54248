// The Pistache adapter: the only file that includes Pistache.
//
// Pistache 0.0.5 (git 2022-09-01, Debian's 0.0.5+ds-3) serves here as the epoll event loop
// (Aio::Reactor) and the connection I/O, TLS included (Tcp::Transport, Tcp::Peer). Neither its
// Http layer nor its Tcp::Listener is used, because on this version (each measured here with a
// raw socket):
// - Request::query() is a re-ordered map ("?x=1&y=2&x=3" came back as "?y=2&x=1"), a repeated
//   header keeps one value, a typed header that fails to parse answers 415 ("Accept: a"), and
//   raw response headers are never written, so several Set-Cookie fields cannot be sent;
// - HTTP/1.1 without `Connection: keep-alive` is answered `Connection: Close`, yet the server
//   itself never closes: an HTTP/1.0 client reading to EOF hangs;
// - the second of two pipelined requests arriving in one read is silently dropped;
// - a handler slower than the header timeout gets a 408 and its connection closed, because the
//   idle timer only looks at the parser, which was reset when the request was handed over;
// - Content-Length is always the bytes sent, wrong for HEAD;
// - the listener runs each TLS handshake to completion on its one accept thread: a client that
//   connects and stays silent stops all accepting for 10 s (Debian's DoS patch; forever before);
// - the listening socket and TLS context are private: no way to stop accepting without
//   stopping the event loop, nor to change the certificate.
// So the Acceptor takes connections and does TLS handshakes, RequestParser reads requests,
// encode_response frames answers, and ConnectionTransport (a Tcp::Transport) keeps
// per-connection state and timeouts, and owns a mailbox through which a worker hands its
// finished response back to the event-loop thread that owns the connection. Everything about a
// ConnectionTransport lives in http/connection_transport.{h,cpp}; this file starts the event
// loop, hands accepted connections to it, and shuts down in order.

#include "http/pistache_server.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <vector>

#include <openssl/ssl.h>
#include <pistache/peer.h>
#include <pistache/reactor.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include "http/acceptor.h"
#include "http/connection_transport.h"

namespace idpd::http {
namespace {

using serving::Clock;
using serving::ConnectionHandler;
using serving::ConnectionTransport;
using serving::final_flush;
using serving::Peer;
using serving::ServingState;

template <typename Predicate>
void wait_until(Clock::time_point deadline, Predicate done) {
    while (!done() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

class PistacheServer::Engine {
public:
    Engine(ServerOptions options, Pipeline pipeline)
        : options_(std::move(options)),
          pool_(options_.worker_threads, options_.queue_limit),
          serving_(std::make_shared<ServingState>()) {
        serving_->limits = ParserLimits{options_.max_header_bytes, options_.max_body_bytes};
        serving_->header_timeout = options_.header_timeout;
        serving_->body_timeout = options_.body_timeout;
        serving_->keepalive_timeout = options_.keepalive_timeout;
        serving_->pipeline = std::move(pipeline);
        serving_->pool = &pool_;
        serving_->secure = options_.tls.has_value();
    }

    ~Engine() { shutdown(); }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    std::expected<void, std::string> start() {
        std::lock_guard lock(lifecycle_mutex_);
        if (started_ || stopped_) {
            return std::unexpected("the server was already started");
        }
        started_ = true;
        std::optional<TlsContext> tls;
        if (options_.tls) {
            auto loaded = TlsContext::load(*options_.tls);
            if (!loaded) {
                return std::unexpected(loaded.error());
            }
            tls = std::move(*loaded);
        }
        AcceptorOptions acceptor_options{.address = options_.address,
                                         .port = options_.port,
                                         .handshake_timeout = options_.header_timeout};
        auto acceptor = Acceptor::listen(
            acceptor_options, std::move(tls),
            [this](int fd, const sockaddr_storage& peer, SSL* ssl) { hand_over(fd, peer, ssl); });
        if (!acceptor) {
            return std::unexpected(acceptor.error());
        }
        acceptor_ = std::move(*acceptor);
        try {
            start_event_loop();
        } catch (const std::exception& e) {
            acceptor_.reset();
            return std::unexpected(std::string("cannot start the event loop: ") + e.what());
        }
        port_ = acceptor_->port();
        return {};
    }

    std::uint16_t port() const { return port_; }

    std::expected<void, std::string> reload_tls() {
        if (!options_.tls) {
            return std::unexpected("TLS is not enabled");
        }
        auto loaded = TlsContext::load(*options_.tls);
        if (!loaded) {
            return std::unexpected(loaded.error());
        }
        std::lock_guard lock(lifecycle_mutex_);
        if (acceptor_) {
            acceptor_->set_tls(std::move(*loaded));
        }
        return {};
    }

    void shutdown() {
        std::lock_guard lock(lifecycle_mutex_);
        if (stopped_) {
            return;
        }
        stopped_ = true;
        if (!reactor_) {
            acceptor_.reset();
            pool_.drain(std::chrono::milliseconds(0));
            return;
        }
        auto deadline = Clock::now() + options_.drain_timeout;
        serving_->draining = true;
        acceptor_->stop();  // new connections are refused from here on
        // Each connection closes after its response; idle ones on the next tick. One whose FIN
        // is sent is done: its client may take its time to close, the final phase drops it.
        wait_until(deadline, [this] { return serving_->is_quiet(); });
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (!pool_.drain(std::max(left, std::chrono::milliseconds(0)))) {
            spdlog::warn("shutdown: requests still running after {} ms are abandoned",
                         options_.drain_timeout.count());
        }
        wait_until(Clock::now() + final_flush, [this] { return serving_->is_quiet(); });
        // Pistache never closes the sockets of the peers it holds when it stops.
        serving_->closing_all = true;
        wait_until(Clock::now() + final_flush, [this] { return serving_->open_connections == 0; });
        transports_.clear();
        reactor_->shutdown();
        reactor_.reset();  // joins the event-loop threads
        acceptor_.reset();
    }

    WorkerStats worker_stats() const { return pool_.stats(); }

private:
    // Pistache's reactor: one event-loop thread per io_threads, each with its own clone of the
    // transport. Its Tcp::Listener is not used: the Acceptor takes connections instead.
    void start_event_loop() {
        auto reactor = Pistache::Aio::Reactor::create();
        reactor->init(
            Pistache::Aio::AsyncContext(std::max<std::size_t>(options_.io_threads, 1), "idpd-io"));
        auto key = reactor->addHandler(
            std::make_shared<ConnectionTransport>(std::make_shared<ConnectionHandler>(), serving_));
        for (const auto& handler : reactor->handlers(key)) {
            transports_.push_back(std::static_pointer_cast<ConnectionTransport>(handler));
        }
        // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a client that hangs up
        // mid-write would raise SIGPIPE and kill the process. The event-loop threads started
        // here inherit this mask, so the signal stays pending on them and the write fails with
        // EPIPE; the rest of the process keeps its own handling.
        sigset_t pipe_only;
        sigset_t previous;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_only, &previous);
        reactor->run();
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        reactor_ = std::move(reactor);
        acceptor_->start();
    }

    // On the acceptor thread: gives a new connection to an event-loop thread, as Pistache's
    // listener would.
    void hand_over(int fd, const sockaddr_storage& peer, SSL* ssl) {
        sockaddr_storage address = peer;
        auto remote = Pistache::Address::fromUnix(reinterpret_cast<sockaddr*>(&address));
        auto connection =
            ssl != nullptr ? Peer::CreateSSL(fd, remote, ssl) : Peer::Create(fd, remote);
        transports_[static_cast<std::size_t>(fd) % transports_.size()]->handleNewPeer(connection);
    }

    ServerOptions options_;
    WorkerPool pool_;
    std::shared_ptr<ServingState> serving_;
    std::shared_ptr<Pistache::Aio::Reactor> reactor_;
    std::vector<std::shared_ptr<ConnectionTransport>> transports_;  // fixed once started
    std::unique_ptr<Acceptor> acceptor_;
    std::atomic<std::uint16_t> port_{0};
    std::mutex lifecycle_mutex_;
    bool started_ = false;
    bool stopped_ = false;
};

PistacheServer::PistacheServer(ServerOptions options, Pipeline pipeline)
    : engine_(std::make_unique<Engine>(std::move(options), std::move(pipeline))) {}

PistacheServer::~PistacheServer() = default;

std::expected<void, std::string> PistacheServer::start() {
    return engine_->start();
}

std::uint16_t PistacheServer::port() const {
    return engine_->port();
}

std::expected<void, std::string> PistacheServer::reload_tls() {
    return engine_->reload_tls();
}

void PistacheServer::shutdown() {
    engine_->shutdown();
}

WorkerStats PistacheServer::worker_stats() const {
    return engine_->worker_stats();
}

}  // namespace idpd::http
