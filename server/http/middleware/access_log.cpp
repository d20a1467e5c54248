#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/middleware/middleware.h"

namespace idpd::http::middleware {
namespace {

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) % 1000;
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count()));
    return buf;
}

}  // namespace

Middleware access_log() {
    return [](HttpRequest& req, const Pipeline& next) {
        auto started = std::chrono::steady_clock::now();
        auto wall = std::chrono::system_clock::now();
        HttpResponse res = next(req);
        std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        auto logger = spdlog::get("access");
        if (logger && logger->should_log(spdlog::level::info)) {
            std::string agent = req.headers.get("User-Agent").value_or("");
            if (agent.size() > 200) {
                agent.resize(200);
            }
            nlohmann::json line{
                {"time", utc_timestamp(wall)},
                {"request_id", req.request_id},
                {"method", method_name(req.method)},
                {"path", req.path},
                {"route", req.route},
                {"status", res.status},
                {"duration_ms", static_cast<double>(static_cast<int>(took.count() * 1000)) / 1000},
                {"bytes", res.body.size()},
                {"client_ip", req.client_ip},
                {"user_agent", agent},
            };
            // Replace invalid UTF-8 from the client instead of throwing on it.
            logger->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
        return res;
    };
}

Middleware metrics(Metrics& registry) {
    return [&registry](HttpRequest& req, const Pipeline& next) {
        auto started = std::chrono::steady_clock::now();
        HttpResponse res = next(req);
        registry.observe(req.route.empty() ? "unmatched" : req.route, method_name(req.method),
                         res.status, std::chrono::steady_clock::now() - started);
        return res;
    };
}

Middleware security_headers() {
    return [](HttpRequest& req, const Pipeline& next) {
        HttpResponse res = next(req);
        auto set_default = [&res](std::string_view name, std::string value) {
            if (!res.headers.has(name)) {
                res.headers.set(name, std::move(value));
            }
        };
        // No inline script or style anywhere; no form-action, because Chrome applies it to the
        // redirect after a sign-in POST, which goes to the relying party.
        set_default("Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self'; "
                    "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                    "frame-ancestors 'none'");
        set_default("X-Frame-Options", "DENY");
        set_default("X-Content-Type-Options", "nosniff");
        // An identity provider's URLs carry codes and tokens: never send them on.
        set_default("Referrer-Policy", "no-referrer");
        set_default("Cross-Origin-Opener-Policy", "same-origin");
        if (req.secure) {
            set_default("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        return res;
    };
}

}  // namespace idpd::http::middleware
