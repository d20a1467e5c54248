// ConnectionTransport: what happens to a connection on its event-loop thread (see the header
// comment of http/pistache_server.cpp for why idpd does this itself).
#include "http/connection_transport.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "http/response_encoder.h"

namespace idpd::http::serving {
namespace {

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

}  // namespace

ConnectionTransport::~ConnectionTransport() {
    if (id_ != 0) {
        serving_->leave(id_);
    }
    for (int fd : {timer_fd_, mailbox_fd_}) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

std::shared_ptr<Pistache::Aio::Handler> ConnectionTransport::clone() const {
    return std::make_shared<ConnectionTransport>(std::make_shared<ConnectionHandler>(), serving_);
}

void ConnectionTransport::registerPoller(Pistache::Polling::Epoll& poller) {
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
    auto readable = Pistache::Flags<Pistache::Polling::NotifyOn>(Pistache::Polling::NotifyOn::Read);
    poller.addFd(timer_fd_, readable, Pistache::Polling::Tag(timer_fd_));
    poller.addFd(mailbox_fd_, readable, Pistache::Polling::Tag(mailbox_fd_));
    id_ = serving_->enlist(this);
}

void ConnectionTransport::onReady(const Pistache::Aio::FdSet& fds) {
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

void ConnectionTransport::deliver(Command command) {
    {
        std::lock_guard lock(mailbox_mutex_);
        mailbox_.push_back(std::move(command));
    }
    std::uint64_t one = 1;
    while (::write(mailbox_fd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void ConnectionTransport::on_connection(const PeerPtr& peer) {
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

void ConnectionTransport::on_input(const PeerPtr& peer, std::string_view input) {
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
            enqueue(peer, c, PreparedResponse{protocol_error(error.status, error.reason), true});
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

void ConnectionTransport::finish_request(const std::weak_ptr<Peer>& weak, std::string bytes,
                                         bool keep_alive) {
    auto peer = live_peer(weak);
    auto connection = peer ? connection_of(peer) : nullptr;
    if (!connection) {
        return;  // the client left while its request ran
    }
    connection->in_flight = false;
    send(peer, *connection, std::move(bytes), !keep_alive || serving_->draining);
    pump(peer, *connection);
}

void ConnectionTransport::drain_counter(int fd) {
    std::uint64_t count = 0;
    while (::read(fd, &count, sizeof count) > 0) {
    }
}

void ConnectionTransport::run_mailbox() {
    std::vector<Command> commands;
    {
        std::lock_guard lock(mailbox_mutex_);
        commands.swap(mailbox_);
    }
    for (auto& command : commands) {
        command(*this);
    }
}

PeerPtr ConnectionTransport::live_peer(const std::weak_ptr<Peer>& weak) const {
    auto peer = weak.lock();
    if (!peer) {
        return nullptr;
    }
    auto it = peers.find(peer->fd());
    return it != peers.end() && it->second == peer ? peer : nullptr;
}

void ConnectionTransport::enqueue(const PeerPtr& peer, Connection& c, Work work) {
    if (c.waiting.size() >= max_waiting_requests) {
        work = PreparedResponse{protocol_error(503, "too many pipelined requests"), true};
        c.stop_reading = true;
    }
    c.waiting.push_back(std::move(work));
    pump(peer, c);
}

void ConnectionTransport::pump(const PeerPtr& peer, Connection& c) {
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

void ConnectionTransport::start(const PeerPtr& peer, Connection& c, ParsedRequest parsed) {
    ResponseFraming framing{.head = parsed.request.method == Method::head,
                            .keep_alive = parsed.keep_alive,
                            .http10_client = parsed.request.version == "HTTP/1.0"};
    auto task = [serving = serving_, transport = id_, weak = std::weak_ptr<Peer>(peer),
                 parsed = std::move(parsed), framing]() mutable {
        HttpResponse response = run_pipeline(serving->pipeline, parsed.request);
        framing.keep_alive = framing.keep_alive && !serving->draining && !asks_to_close(response);
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

void ConnectionTransport::send(const PeerPtr& peer, Connection& c, std::string bytes, bool close) {
    c.since = Clock::now();
    ++c.served;
    if (close) {
        c.stop_reading = true;
        c.waiting.clear();
    }
    transmit(peer, c, std::move(bytes), close);
}

void ConnectionTransport::transmit(const PeerPtr& peer, Connection& c, std::string bytes,
                                   bool close) {
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

std::optional<std::size_t> ConnectionTransport::write_now(const PeerPtr& peer,
                                                          std::string_view bytes) {
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

void ConnectionTransport::close_write(const PeerPtr& peer, Connection& c) {
    c.start_closing(Clock::now());
    if (auto* ssl = static_cast<SSL*>(peer->ssl())) {
        SSL_shutdown(ssl);  // close_notify (RFC 8446 §6.1)
        ERR_clear_error();
    }
    ::shutdown(peer->fd(), SHUT_WR);
}

void ConnectionTransport::drop(const std::weak_ptr<Peer>& weak) {
    if (auto peer = live_peer(weak)) {
        removePeer(peer);
    }
}

void ConnectionTransport::on_tick() {
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

}  // namespace idpd::http::serving
