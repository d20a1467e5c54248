// ops: what operators and load balancers ask of a running process — liveness, readiness and
// Prometheus metrics.
#pragma once

#include <atomic>

#include "http/metrics.h"
#include "http/router.h"
#include "store/database.h"

namespace idpd::ops {

// GET /healthz: 200 while the process runs. It touches nothing else, so a slow database never
// makes a load balancer kill a healthy process.
http::HttpResponse healthz(const http::HttpRequest& req);

// GET /readyz: 200 when the database answers, 503 when it does not or when the process is
// draining for shutdown (so a load balancer stops sending new requests first).
class Readiness {
public:
    Readiness(store::Database& db, const std::atomic<bool>& draining)
        : db_(db), draining_(draining) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    store::Database& db_;
    const std::atomic<bool>& draining_;
};

// GET /metrics: the Prometheus text exposition of `registry`.
http::HttpResponse metrics(const http::Metrics& registry);

// Registers database pool gauges with `registry`.
void add_pool_gauges(http::Metrics& registry, const store::Database& db);

}  // namespace idpd::ops
