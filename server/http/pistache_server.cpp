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
// connection happens on that one thread, so none of it needs a lock.

#include "http/pistache_server.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pistache/peer.h>
#include <pistache/reactor.h>
#include <pistache/transport.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "http/acceptor.h"
#include "http/request_parser.h"
#include "http/response_encoder.h"

namespace idpd::http {
namespace {

using Clock = std::chrono::steady_clock;
using Peer = Pistache::Tcp::Peer;
using PeerPtr = std::shared_ptr<Peer>;

// Timeouts are checked this often, so they fire up to this much late.
constexpr auto tick_interval = std::chrono::milliseconds(100);
static_assert(tick_interval < std::chrono::seconds(1), "itimerspec below takes nanoseconds only");
// After our FIN, how long the client has to read the last response and close its side, before we
// drop the socket (RFC 9112 §9.6: closing at once could reset the connection under the client).
constexpr auto close_linger = std::chrono::seconds(2);
// Pipelined requests held behind the running one; a client that sends more is cut off.
constexpr std::size_t max_waiting_requests = 32;
// shutdown(): how long the last responses get to leave, and the final close to happen.
constexpr auto final_flush = std::chrono::milliseconds(500);

class ConnectionTransport;
using Command = std::move_only_function<void(ConnectionTransport&)>;

// What the event-loop threads and the workers share; each holds it, so it outlives them all.
struct ServingState {
    ParserLimits limits;
    std::chrono::milliseconds header_timeout{};
    std::chrono::milliseconds body_timeout{};
    std::chrono::milliseconds keepalive_timeout{};
    Pipeline pipeline;
    WorkerPool* pool = nullptr;  // the Engine's; used only on event-loop threads, which it outlives
    bool secure = false;

    std::atomic<bool> draining{false};     // shutdown began: close connections once idle
    std::atomic<bool> closing_all{false};  // shutdown is ending: close every connection now
    std::atomic<std::size_t> open_connections{0};
    std::atomic<std::size_t> closing_connections{0};  // of those, done and waiting for the FIN

    // No connection is reading a request or owes a response.
    bool is_quiet() const { return open_connections == closing_connections; }

    // Registers an event-loop thread's transport; returns its id for post().
    std::uint64_t enlist(ConnectionTransport* transport);
    void leave(std::uint64_t id);
    // Runs `command` on transport `id`'s event-loop thread, or drops it if that has gone.
    void post(std::uint64_t id, Command command);

private:
    std::mutex mutex_;
    std::unordered_map<std::uint64_t, ConnectionTransport*> transports_;
    std::uint64_t next_id_ = 1;
};

// A response ready to write, queued behind the request still running.
struct PreparedResponse {
    std::string bytes;
    bool close = false;
};

using Work = std::variant<ParsedRequest, PreparedResponse>;

// One client connection; lives in its Peer, so it goes when Pistache drops the Peer.
struct Connection {
    Connection(std::shared_ptr<ServingState> serving, Clock::time_point now)
        : parser(serving->limits), since(now), serving_(std::move(serving)) {
        ++serving_->open_connections;
    }

    ~Connection() {
        if (closing) {
            --serving_->closing_connections;
        }
        --serving_->open_connections;
    }

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool is_busy() const { return in_flight || !waiting.empty(); }

    // Our FIN is sent: from now on the connection only waits for the client's.
    void start_closing(Clock::time_point now) {
        if (!closing) {
            closing = true;
            ++serving_->closing_connections;
        }
        since = now;
    }

    RequestParser parser;
    std::deque<Work> waiting;       // RFC 9112 §9.3.2: answered in the order they came
    bool in_flight = false;         // a worker is running this connection's request
    bool stop_reading = false;      // the last response is queued: ignore further input
    bool closing = false;           // our FIN is sent; waiting for the client's
    std::size_t queued_writes = 0;  // writes left to Pistache's queue, not yet done
    std::size_t served = 0;
    std::string peer_ip;
    Clock::time_point since;  // accepted, last response queued, or FIN sent
    Clock::time_point request_started;
    Clock::time_point headers_done;

private:
    std::shared_ptr<ServingState> serving_;
};

const std::string connection_key = "idpd.connection";

std::shared_ptr<Connection> connection_of(const PeerPtr& peer) {
    return std::static_pointer_cast<Connection>(peer->tryGetData(connection_key));
}

std::string encode_now(const HttpResponse& response, const ResponseFraming& framing) {
    return encode_response(response, framing, std::chrono::system_clock::now());
}

// The answer to a request the server refuses before any handler sees it; the connection closes.
std::string protocol_error(int status, std::string_view reason) {
    return encode_now(HttpResponse::text(status, std::string(reason) + "\n"),
                      ResponseFraming{.head = false, .keep_alive = false, .http10_client = false});
}

bool asks_to_close(const HttpResponse& response) {
    auto connection = response.headers.get("Connection");
    if (!connection) {
        return false;
    }
    std::string lowered;
    for (char c : *connection) {
        lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return lowered.find("close") != std::string::npos;
}

HttpResponse run_pipeline(const Pipeline& pipeline, HttpRequest& request) {
    // The last resort of style.md §D: the pipeline catches its own errors; whatever escapes is
    // logged here and the client learns nothing about it.
    // Middleware fills request_id in, so it is read only after the pipeline ran.
    auto id = [&request] {
        return request.request_id.empty() ? "-" : request.request_id;
    };
    try {
        return pipeline(request);
    } catch (const std::exception& e) {
        spdlog::error("{} {} failed (request {}): {}", method_name(request.method), request.path,
                      id(), e.what());
    } catch (...) {
        spdlog::error("{} {} failed (request {}): a non-standard exception",
                      method_name(request.method), request.path, id());
    }
    return HttpResponse::json(500, R"({"error":"server_error"})");
}

// Pistache's Tcp::Handler: it only forwards to the transport, where the state is.
class ConnectionHandler final : public Pistache::Tcp::Handler {
public:
    std::shared_ptr<Pistache::Tcp::Handler> clone() const override {
        return std::make_shared<ConnectionHandler>();
    }

    void onConnection(const PeerPtr& peer) override;
    void onInput(const char* bytes, size_t size, const PeerPtr& peer) override;

private:
    ConnectionTransport& owner();
};

// One per event-loop thread (Pistache clones it for each).
class ConnectionTransport final : public Pistache::Tcp::Transport {
public:
    ConnectionTransport(const std::shared_ptr<ConnectionHandler>& handler,
                        std::shared_ptr<ServingState> serving)
        : Pistache::Tcp::Transport(handler), serving_(std::move(serving)) {}

    ~ConnectionTransport() override {
        if (id_ != 0) {
            serving_->leave(id_);
        }
        for (int fd : {timer_fd_, mailbox_fd_}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }

    std::shared_ptr<Pistache::Aio::Handler> clone() const override {
        return std::make_shared<ConnectionTransport>(std::make_shared<ConnectionHandler>(),
                                                     serving_);
    }

    void registerPoller(Pistache::Polling::Epoll& poller) override {
        Pistache::Tcp::Transport::registerPoller(poller);
        timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        mailbox_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (timer_fd_ < 0 || mailbox_fd_ < 0) {
            throw std::runtime_error(std::string("cannot create event-loop descriptors: ") +
                                     std::strerror(errno));
        }
        auto interval = std::chrono::duration_cast<std::chrono::nanoseconds>(tick_interval);
        itimerspec spec{};
        spec.it_interval.tv_nsec = static_cast<long>(interval.count());
        spec.it_value = spec.it_interval;
        ::timerfd_settime(timer_fd_, 0, &spec, nullptr);
        auto readable =
            Pistache::Flags<Pistache::Polling::NotifyOn>(Pistache::Polling::NotifyOn::Read);
        poller.addFd(timer_fd_, readable, Pistache::Polling::Tag(timer_fd_));
        poller.addFd(mailbox_fd_, readable, Pistache::Polling::Tag(mailbox_fd_));
        id_ = serving_->enlist(this);
    }

    void onReady(const Pistache::Aio::FdSet& fds) override {
        for (const auto& entry : fds) {
            if (entry.getTag() == Pistache::Polling::Tag(timer_fd_)) {
                drain_counter(timer_fd_);
                on_tick();
            } else if (entry.getTag() == Pistache::Polling::Tag(mailbox_fd_)) {
                drain_counter(mailbox_fd_);
                run_mailbox();
            }
        }
        Pistache::Tcp::Transport::onReady(fds);
    }

    // Any thread.
    void deliver(Command command) {
        {
            std::lock_guard lock(mailbox_mutex_);
            mailbox_.push_back(std::move(command));
        }
        std::uint64_t one = 1;
        while (::write(mailbox_fd_, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }

    void on_connection(const PeerPtr& peer) {
        auto connection = std::make_shared<Connection>(serving_, Clock::now());
        connection->peer_ip = peer->address().host();
        // An IPv4 client of a dual-stack socket shows as "::ffff:192.0.2.1": one client, one
        // address, in logs and rate limits alike.
        constexpr std::string_view mapped = "::ffff:";
        if (connection->peer_ip.starts_with(mapped) &&
            connection->peer_ip.find('.') != std::string::npos) {
            connection->peer_ip.erase(0, mapped.size());
        }
        peer->putData(connection_key, std::move(connection));
    }

    void on_input(const PeerPtr& peer, std::string_view input) {
        auto connection = connection_of(peer);
        if (!connection || connection->stop_reading || connection->closing) {
            // RFC 9112 §9.6: after a response that closes, nothing more is processed.
            return;
        }
        Connection& c = *connection;
        while (!input.empty() && !c.stop_reading) {
            bool had_started = c.parser.has_started();
            bool had_headers = c.parser.headers_complete();
            auto status = c.parser.feed(input);
            auto now = Clock::now();
            if (!had_started && c.parser.has_started()) {
                c.request_started = now;
            }
            if (status == RequestParser::Status::need_more) {
                if (!had_headers && c.parser.headers_complete()) {
                    c.headers_done = now;
                    // RFC 9110 §10.1.1. Not while an earlier response is pending: the interim
                    // answer would arrive before it. The client then sends the body anyway.
                    if (c.parser.expects_continue() && !c.is_busy()) {
                        transmit(peer, c, "HTTP/1.1 100 Continue\r\n\r\n", false);
                    }
                }
                return;
            }
            if (status == RequestParser::Status::failed) {
                const auto& error = c.parser.error();
                enqueue(peer, c,
                        PreparedResponse{protocol_error(error.status, error.reason), true});
                return;
            }
            ParsedRequest parsed = c.parser.take();
            parsed.request.peer_ip = c.peer_ip;
            parsed.request.client_ip = c.peer_ip;
            parsed.request.secure = serving_->secure;
            if (serving_->draining) {
                parsed.keep_alive = false;
            }
            bool last = !parsed.keep_alive;
            enqueue(peer, c, std::move(parsed));
            if (last) {
                c.stop_reading = true;
            }
        }
    }

    // Event-loop thread: a worker's answer for `weak`'s running request.
    void finish_request(const std::weak_ptr<Peer>& weak, std::string bytes, bool keep_alive) {
        auto peer = live_peer(weak);
        auto connection = peer ? connection_of(peer) : nullptr;
        if (!connection) {
            return;  // the client left while its request ran
        }
        connection->in_flight = false;
        send(peer, *connection, std::move(bytes), !keep_alive || serving_->draining);
        pump(peer, *connection);
    }

private:
    static void drain_counter(int fd) {
        std::uint64_t count = 0;
        while (::read(fd, &count, sizeof count) > 0) {
        }
    }

    void run_mailbox() {
        std::vector<Command> commands;
        {
            std::lock_guard lock(mailbox_mutex_);
            commands.swap(mailbox_);
        }
        for (auto& command : commands) {
            command(*this);
        }
    }

    // The peer behind `weak` if it is still this transport's: a closed descriptor's number is
    // soon reused, so holding the Peer object alone does not make its fd ours.
    PeerPtr live_peer(const std::weak_ptr<Peer>& weak) const {
        auto peer = weak.lock();
        if (!peer) {
            return nullptr;
        }
        auto it = peers.find(peer->fd());
        return it != peers.end() && it->second == peer ? peer : nullptr;
    }

    void enqueue(const PeerPtr& peer, Connection& c, Work work) {
        if (c.waiting.size() >= max_waiting_requests) {
            work = PreparedResponse{protocol_error(503, "too many pipelined requests"), true};
            c.stop_reading = true;
        }
        c.waiting.push_back(std::move(work));
        pump(peer, c);
    }

    // Starts what waits, in order, until a request is running or nothing is left.
    void pump(const PeerPtr& peer, Connection& c) {
        while (!c.in_flight && !c.waiting.empty() && !c.closing) {
            Work work = std::move(c.waiting.front());
            c.waiting.pop_front();
            if (auto* prepared = std::get_if<PreparedResponse>(&work)) {
                send(peer, c, std::move(prepared->bytes), prepared->close);
            } else {
                start(peer, c, std::get<ParsedRequest>(std::move(work)));
            }
        }
    }

    void start(const PeerPtr& peer, Connection& c, ParsedRequest parsed) {
        ResponseFraming framing{.head = parsed.request.method == Method::head,
                                .keep_alive = parsed.keep_alive,
                                .http10_client = parsed.request.version == "HTTP/1.0"};
        auto task = [serving = serving_, transport = id_, weak = std::weak_ptr<Peer>(peer),
                     parsed = std::move(parsed), framing]() mutable {
            HttpResponse response = run_pipeline(serving->pipeline, parsed.request);
            framing.keep_alive =
                framing.keep_alive && !serving->draining && !asks_to_close(response);
            std::string bytes = encode_now(response, framing);
            serving->post(transport,
                          [weak = std::move(weak), bytes = std::move(bytes),
                           keep_alive = framing.keep_alive](ConnectionTransport& self) mutable {
                              self.finish_request(weak, std::move(bytes), keep_alive);
                          });
        };
        if (serving_->pool->try_submit(std::move(task))) {
            c.in_flight = true;
            return;
        }
        // Overloaded: answer from the event loop at once rather than queue without bound.
        HttpResponse busy = HttpResponse::json(503, R"({"error":"temporarily_unavailable"})");
        busy.headers.set("Retry-After", "1");
        send(peer, c, encode_now(busy, framing), !framing.keep_alive);
    }

    // Queues a response: it counts as served, and with `close` it is the connection's last.
    void send(const PeerPtr& peer, Connection& c, std::string bytes, bool close) {
        c.since = Clock::now();
        ++c.served;
        if (close) {
            c.stop_reading = true;
            c.waiting.clear();
        }
        transmit(peer, c, std::move(bytes), close);
    }

    // Writes at once when nothing is queued before it, which is nearly always: Pistache's own
    // write path costs a wake-up and two epoll_ctl calls per response. What the socket does not
    // take goes through Pistache's queue, behind which later writes then wait.
    void transmit(const PeerPtr& peer, Connection& c, std::string bytes, bool close) {
        std::size_t written = 0;
        if (c.queued_writes == 0) {
            auto sent = write_now(peer, bytes);
            if (!sent) {
                // The client is gone. Not removePeer() here: this may run inside Pistache's
                // read loop, which still holds a reference into its peer table. The next tick
                // drops it.
                c.stop_reading = true;
                c.waiting.clear();
                c.start_closing(Clock::now() - close_linger);
                return;
            }
            written = *sent;
        }
        if (written == bytes.size()) {
            if (close) {
                close_write(peer, c);
            }
            return;
        }
        bytes.erase(0, written);
        ++c.queued_writes;
        std::size_t size = bytes.size();
        auto queued = peer->send(Pistache::RawBuffer(std::move(bytes), size));
        // The promise is settled by this thread's write queue, never before this returns, so
        // both callbacks run here on the event-loop thread.
        std::weak_ptr<Peer> weak = peer;
        queued.then(
            [this, weak, close](ssize_t) {
                auto later = live_peer(weak);
                auto connection = later ? connection_of(later) : nullptr;
                if (!connection) {
                    return;
                }
                --connection->queued_writes;
                if (close) {
                    close_write(later, *connection);
                }
            },
            [this, weak](std::exception_ptr) { drop(weak); });
    }

    // Bytes the socket took now (all, some or none), or nullopt if the connection is dead.
    static std::optional<std::size_t> write_now(const PeerPtr& peer, std::string_view bytes) {
        std::size_t total = 0;
        auto* ssl = static_cast<SSL*>(peer->ssl());
        while (total < bytes.size()) {
            std::string_view rest = bytes.substr(total);
            if (ssl != nullptr) {
                ERR_clear_error();
                int chunk = static_cast<int>(
                    std::min<std::size_t>(rest.size(), std::numeric_limits<int>::max()));
                int sent = SSL_write(ssl, rest.data(), chunk);
                if (sent > 0) {
                    total += static_cast<std::size_t>(sent);
                    continue;
                }
                // The queue retries from `total` with the same bytes, as OpenSSL requires.
                int error = SSL_get_error(ssl, sent);
                if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
                    return total;
                }
                ERR_clear_error();
                return std::nullopt;
            }
            ssize_t sent = ::send(peer->fd(), rest.data(), rest.size(), MSG_NOSIGNAL);
            if (sent >= 0) {
                total += static_cast<std::size_t>(sent);
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return total;
            } else if (errno != EINTR) {
                return std::nullopt;
            }
        }
        return total;
    }

    // The last response is out: send our FIN and let the client close (RFC 9112 §9.6).
    void close_write(const PeerPtr& peer, Connection& c) {
        c.start_closing(Clock::now());
        if (auto* ssl = static_cast<SSL*>(peer->ssl())) {
            SSL_shutdown(ssl);  // close_notify (RFC 8446 §6.1)
            ERR_clear_error();
        }
        ::shutdown(peer->fd(), SHUT_WR);
    }

    void drop(const std::weak_ptr<Peer>& weak) {
        if (auto peer = live_peer(weak)) {
            removePeer(peer);
        }
    }

    void on_tick() {
        auto now = Clock::now();
        std::vector<PeerPtr> snapshot;
        snapshot.reserve(peers.size());
        for (const auto& [fd, peer] : peers) {
            snapshot.push_back(peer);
        }
        for (const auto& peer : snapshot) {
            auto connection = connection_of(peer);
            if (!connection || serving_->closing_all) {
                removePeer(peer);
                continue;
            }
            Connection& c = *connection;
            if (c.closing) {
                if (now - c.since > close_linger) {
                    removePeer(peer);
                }
            } else if (c.is_busy()) {
                // The client is waiting for us; how long a handler may run is not a timeout.
            } else if (c.stop_reading || c.queued_writes > 0) {
                // A response is still on its way to a client that reads slowly or not at all:
                // it gets keepalive_timeout to take it all.
                if (now - c.since > serving_->keepalive_timeout) {
                    removePeer(peer);
                }
            } else if (c.parser.has_started()) {
                bool in_body = c.parser.headers_complete();
                auto started = in_body ? c.headers_done : c.request_started;
                auto limit = in_body ? serving_->body_timeout : serving_->header_timeout;
                if (now - started > limit) {
                    send(peer, c, protocol_error(408, "request timed out"), true);
                }
            } else if (serving_->draining) {
                removePeer(peer);  // idle: closing loses nothing (RFC 9112 §9.6)
            } else if (now - c.since >
                       (c.served == 0 ? serving_->header_timeout : serving_->keepalive_timeout)) {
                removePeer(peer);
            }
        }
    }

    std::shared_ptr<ServingState> serving_;
    std::uint64_t id_ = 0;
    int timer_fd_ = -1;
    int mailbox_fd_ = -1;
    std::mutex mailbox_mutex_;
    std::vector<Command> mailbox_;
};

void ConnectionHandler::onConnection(const PeerPtr& peer) {
    owner().on_connection(peer);
}

void ConnectionHandler::onInput(const char* bytes, size_t size, const PeerPtr& peer) {
    owner().on_input(peer, std::string_view(bytes, size));
}

ConnectionTransport& ConnectionHandler::owner() {
    // Only ConnectionTransport is ever given this handler.
    return static_cast<ConnectionTransport&>(*transport());
}

std::uint64_t ServingState::enlist(ConnectionTransport* transport) {
    std::lock_guard lock(mutex_);
    std::uint64_t id = next_id_++;
    transports_.emplace(id, transport);
    return id;
}

void ServingState::leave(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    transports_.erase(id);
}

void ServingState::post(std::uint64_t id, Command command) {
    // Under the lock, so the transport cannot be destroyed halfway through.
    std::lock_guard lock(mutex_);
    auto it = transports_.find(id);
    if (it != transports_.end()) {
        it->second->deliver(std::move(command));
    }
}

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
