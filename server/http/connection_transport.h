// The connection side of the Pistache adapter (http/pistache_server.cpp): per-connection state,
// and the Tcp::Transport that owns it on its event-loop thread. Only the adapter's two .cpp
// files include this header, and so Pistache.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <pistache/peer.h>
#include <pistache/reactor.h>
#include <pistache/transport.h>

#include "http/handler.h"
#include "http/request_parser.h"
#include "http/worker_pool.h"

namespace idpd::http::serving {

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

// One per event-loop thread (Pistache clones it for each): reads requests as they arrive, runs
// them on the worker pool, writes the answers in order, and enforces the timeouts.
class ConnectionTransport final : public Pistache::Tcp::Transport {
public:
    ConnectionTransport(const std::shared_ptr<ConnectionHandler>& handler,
                        std::shared_ptr<ServingState> serving)
        : Pistache::Tcp::Transport(handler), serving_(std::move(serving)) {}

    ~ConnectionTransport() override;

    std::shared_ptr<Pistache::Aio::Handler> clone() const override;

    void registerPoller(Pistache::Polling::Epoll& poller) override;

    void onReady(const Pistache::Aio::FdSet& fds) override;

    // Any thread.
    void deliver(Command command);

    void on_connection(const PeerPtr& peer);

    void on_input(const PeerPtr& peer, std::string_view input);

    // Event-loop thread: a worker's answer for `weak`'s running request.
    void finish_request(const std::weak_ptr<Peer>& weak, std::string bytes, bool keep_alive);

private:
    static void drain_counter(int fd);

    void run_mailbox();

    // The peer behind `weak` if it is still this transport's: a closed descriptor's number is
    // soon reused, so holding the Peer object alone does not make its fd ours.
    PeerPtr live_peer(const std::weak_ptr<Peer>& weak) const;

    void enqueue(const PeerPtr& peer, Connection& c, Work work);

    // Starts what waits, in order, until a request is running or nothing is left.
    void pump(const PeerPtr& peer, Connection& c);

    void start(const PeerPtr& peer, Connection& c, ParsedRequest parsed);

    // Queues a response: it counts as served, and with `close` it is the connection's last.
    void send(const PeerPtr& peer, Connection& c, std::string bytes, bool close);

    // Writes at once when nothing is queued before it, which is nearly always: Pistache's own
    // write path costs a wake-up and two epoll_ctl calls per response. What the socket does not
    // take goes through Pistache's queue, behind which later writes then wait.
    void transmit(const PeerPtr& peer, Connection& c, std::string bytes, bool close);

    // Bytes the socket took now (all, some or none), or nullopt if the connection is dead.
    static std::optional<std::size_t> write_now(const PeerPtr& peer, std::string_view bytes);

    // The last response is out: send our FIN and let the client close (RFC 9112 §9.6).
    void close_write(const PeerPtr& peer, Connection& c);

    void drop(const std::weak_ptr<Peer>& weak);

    void on_tick();

    std::shared_ptr<ServingState> serving_;
    std::uint64_t id_ = 0;
    int timer_fd_ = -1;
    int mailbox_fd_ = -1;
    std::mutex mailbox_mutex_;
    std::vector<Command> mailbox_;
};

}  // namespace idpd::http::serving
