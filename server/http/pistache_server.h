#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "http/handler.h"
#include "http/tls_context.h"
#include "http/worker_pool.h"

namespace idpd::http {

struct ServerOptions {
    std::string address = "0.0.0.0";
    std::uint16_t port = 8080;       // 0: any free port; port() tells which
    std::size_t io_threads = 1;      // event-loop threads: they read, parse and write, never block
    std::size_t worker_threads = 8;  // threads that run the pipeline
    std::size_t queue_limit = 1024;  // requests waiting for a worker before new ones get 503
    std::size_t max_body_bytes = 1024 * 1024;  // a larger body gets 413
    std::size_t max_header_bytes = 16 * 1024;  // request line and fields; larger gets 431 (414)
    // From a request's first byte to the end of its headers; also how long a new connection may
    // stay silent and how long a TLS handshake may take. Exceeded: 408, then close.
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds body_timeout{30000};       // end of headers to end of body; then 408
    std::chrono::milliseconds keepalive_timeout{75000};  // idle between requests; then close
    std::chrono::milliseconds drain_timeout{10000};  // shutdown(): how long in-flight work may run
    std::optional<TlsFiles> tls;                     // serve HTTPS with these
};

// Serves a Pipeline over HTTP/1.1, or HTTPS, and is the only code that sees Pistache. Pistache
// runs the event loop and the connections' I/O; accepting, TLS handshakes, reading requests,
// framing responses, keep-alive and timeouts are ours (pistache_server.cpp says why). Each
// request runs on the worker pool, never on an event-loop thread.
class PistacheServer {
public:
    // Starts the worker threads; nothing listens until start().
    PistacheServer(ServerOptions options, Pipeline pipeline);
    ~PistacheServer();  // shutdown()

    PistacheServer(const PistacheServer&) = delete;
    PistacheServer& operator=(const PistacheServer&) = delete;

    // Binds and serves on background threads. Never throws; an error is one line such as
    // "port 8080 is already in use" or "TLS: cert.pem: ...". Call once.
    std::expected<void, std::string> start();

    // The bound port once start() succeeded (the chosen one when options.port was 0), else 0.
    std::uint16_t port() const;

    // For SIGHUP: re-reads options.tls's files. New handshakes use the new certificate; open
    // connections keep theirs and are not interrupted. Files that fail to load or do not match
    // leave the current certificate in use and return why.
    std::expected<void, std::string> reload_tls();

    // Stops accepting at once, lets in-flight requests finish for up to drain_timeout (closing
    // each connection after its response), then closes every connection and joins the threads.
    // Idempotent; safe before start() and from any thread but a worker's.
    void shutdown();

    // For /metrics. Safe from any thread.
    WorkerStats worker_stats() const;

private:
    class Engine;

    std::unique_ptr<Engine> engine_;
};

}  // namespace idpd::http
