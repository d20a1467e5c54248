#include "app/serve.h"

#include <algorithm>
#include <csignal>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/billing_settings.h"
#include "app/build_info.h"
#include "app/janitor.h"
#include "app/logging.h"
#include "app/notify_settings.h"
#include "app/security_settings.h"
#include "http/pistache_server.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::app {
namespace {

http::ServerOptions server_options(const Config& config) {
    http::ServerOptions o;
    o.address = config.server.address;
    o.port = config.server.port;
    o.io_threads = config.server.io_threads;
    o.worker_threads = config.server.worker_threads;
    o.queue_limit = config.server.queue_limit;
    o.max_body_bytes = config.server.max_body_bytes;
    o.max_header_bytes = config.server.max_header_bytes;
    o.header_timeout = config.server.header_timeout;
    o.body_timeout = config.server.body_timeout;
    o.keepalive_timeout = config.server.keepalive_timeout;
    o.drain_timeout = config.server.drain_timeout;
    if (!config.tls.cert_file.empty()) {
        o.tls = http::TlsFiles{config.tls.cert_file.string(), config.tls.key_file.string()};
    }
    return o;
}

// The server outlives every scrape: it stops serving before it is destroyed.
void add_worker_gauges(http::Metrics& metrics, const http::PistacheServer& server) {
    metrics.add_gauge("idpd_workers", "Worker threads that run handlers.",
                      [&server] { return static_cast<double>(server.worker_stats().threads); });
    metrics.add_gauge("idpd_workers_busy", "Worker threads running a handler now.",
                      [&server] { return static_cast<double>(server.worker_stats().busy); });
    metrics.add_gauge("idpd_worker_queue", "Requests waiting for a worker now.",
                      [&server] { return static_cast<double>(server.worker_stats().queued); });
    metrics.add_gauge("idpd_worker_rejected_total",
                      "Requests answered 503 because the worker queue was full.",
                      [&server] { return static_cast<double>(server.worker_stats().rejected); });
}

void print_banner(const Config& config, std::uint16_t port) {
    std::string scheme = config.tls.cert_file.empty() ? "http" : "https";
    std::string local = scheme + "://" +
                        (config.server.address == "0.0.0.0" || config.server.address == "::"
                             ? std::string("localhost")
                             : config.server.address) +
                        ":" + std::to_string(port);
    // Browsers must use the issuer's URL: the CSRF check compares each form's Origin with it.
    std::cout << "idpd " << version << " (" << git_commit << ") is serving\n"
              << "  issuer     " << config.server.issuer << "\n"
              << "  sign in    " << config.server.issuer << "/signin   sign up "
              << config.server.issuer << "/signup\n"
              << "  discovery  " << config.server.issuer << "/.well-known/openid-configuration\n"
              << "  listening  " << local << "\n"
              << "  health     " << local << "/healthz   ready " << local << "/readyz   metrics "
              << local << "/metrics\n"
              << "  stop with Ctrl-C (SIGINT) or SIGTERM; SIGHUP reloads the TLS certificate"
              << std::endl;
}

}  // namespace

store::DatabaseOptions database_options(const Config& config) {
    store::DatabaseOptions o;
    o.url = config.database.url;
    o.pool_size = config.database.pool_size;
    o.connect_timeout = config.database.connect_timeout;
    o.busy_timeout = config.database.busy_timeout;
    o.pool_timeout = config.database.pool_timeout;
    return o;
}

std::unique_ptr<store::Database> open_configured_database(const Config& config, std::ostream& err) {
    auto db = store::open_database(database_options(config));
    if (!db) {
        err << "idpd: database: " << db.error().message << '\n';
        return nullptr;
    }
    if (config.database.migrate_on_start) {
        auto report = store::migrate(**db);
        if (!report) {
            err << "idpd: migrate: " << report.error().message << '\n';
            return nullptr;
        }
        for (const auto& unknown : report->unknown) {
            spdlog::warn(
                "the database records migration {} that this idpd does not have: a "
                "newer idpd migrated it",
                unknown.name);
        }
    }
    return std::move(*db);
}

int serve(const Config& config) {
    setup_logging(config.log);

    // Block the signals before any thread starts, so every thread inherits the mask and only
    // sigwait() below sees them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto db = open_configured_database(config, std::cerr);
    if (!db) {
        return 2;
    }

    std::unique_ptr<App> app;
    try {
        app = std::make_unique<App>(config, *db);
    } catch (const std::exception& e) {
        std::cerr << "idpd: " << e.what() << '\n';
        return 2;
    }

    auto dispatcher = notify_dispatcher(config, *db, app->wechat_token());
    if (!dispatcher) {
        std::cerr << "idpd: " << dispatcher.error() << '\n';
        return 2;
    }

    http::PistacheServer server(server_options(config), app->pipeline());
    if (auto started = server.start(); !started) {
        std::cerr << "idpd: " << started.error() << '\n';
        return 2;
    }
    add_worker_gauges(app->metrics(), server);
    Janitor janitor(
        *db, std::chrono::system_clock::now, config.server.cleanup_interval,
        throttle_options(config),
        std::max(config.sessions.absolute_timeout, config.sessions.remember_absolute_timeout));
    janitor.renew_billing_with(plan_catalog(config));
    janitor.delete_accounts_with(app->account_deletion());
    janitor.start();
    (*dispatcher)->start();
    print_banner(config, server.port());

    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) {
            continue;
        }
        if (sig == SIGHUP) {
            if (!config.tls.cert_file.empty()) {
                if (auto reloaded = server.reload_tls(); !reloaded) {
                    spdlog::error("TLS reload refused, still serving the old certificate: {}",
                                  reloaded.error());
                } else {
                    spdlog::info("TLS certificate reloaded from {}", config.tls.cert_file.string());
                }
            }
            continue;
        }
        spdlog::info("received {}, draining for up to {} ms", sig == SIGINT ? "SIGINT" : "SIGTERM",
                     config.server.drain_timeout.count());
        break;
    }
    app->start_draining();
    server.shutdown();
    // After the server: a request being drained may still enqueue a message. Stopping cancels
    // a send in progress; what is left waits in the outbox for the next start.
    (*dispatcher)->stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace idpd::app
