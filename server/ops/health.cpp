#include "ops/health.h"

namespace idpd::ops {

http::HttpResponse healthz(const http::HttpRequest&) {
    auto res = http::HttpResponse::json(200, R"({"status":"ok"})");
    res.headers.set("Cache-Control", "no-store");
    return res;
}

http::HttpResponse Readiness::handle(const http::HttpRequest&) const {
    http::HttpResponse res;
    if (draining_.load()) {
        res = http::HttpResponse::json(503, R"({"status":"draining"})");
    } else if (auto ok = db_.ping(); !ok) {
        // The reason stays in the log: /readyz is public.
        res = http::HttpResponse::json(503, R"({"status":"unavailable","database":"down"})");
        res.headers.set("Retry-After", "5");
    } else {
        res = http::HttpResponse::json(200, R"({"status":"ready","database":"up"})");
    }
    res.headers.set("Cache-Control", "no-store");
    return res;
}

http::HttpResponse metrics(const http::Metrics& registry) {
    http::HttpResponse res{200, {}, registry.render()};
    res.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    res.headers.set("Cache-Control", "no-store");
    return res;
}

void add_pool_gauges(http::Metrics& registry, const store::Database& db) {
    registry.add_gauge("idpd_db_pool_size", "Database connections the pool may open.",
                       [&db] { return static_cast<double>(db.pool_stats().size); });
    registry.add_gauge("idpd_db_pool_open", "Database connections open now.",
                       [&db] { return static_cast<double>(db.pool_stats().open); });
    registry.add_gauge("idpd_db_pool_in_use", "Database connections lent to requests now.",
                       [&db] { return static_cast<double>(db.pool_stats().in_use); });
    registry.add_gauge("idpd_db_pool_waits_total",
                       "Times a request waited for a free database connection.",
                       [&db] { return static_cast<double>(db.pool_stats().waits); });
}

}  // namespace idpd::ops
