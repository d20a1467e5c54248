// Starting a PistacheServer for a socket test: loopback, port 0, short drain.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>

#include "http/pistache_server.h"

namespace idpd::http::test {

inline ServerOptions loopback_options() {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.worker_threads = 4;
    options.drain_timeout = std::chrono::milliseconds(2000);
    return options;
}

// A started server; throws if it cannot start, so the test fails loudly.
inline std::unique_ptr<PistacheServer> start_server(Pipeline pipeline,
                                                    ServerOptions options = loopback_options()) {
    auto server = std::make_unique<PistacheServer>(std::move(options), std::move(pipeline));
    if (auto started = server->start(); !started) {
        throw std::runtime_error("server did not start: " + started.error());
    }
    return server;
}

}  // namespace idpd::http::test
