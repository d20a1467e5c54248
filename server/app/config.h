// app: the composition root. Reads the configuration, builds every service, wires the routes,
// and runs the CLI. The only folder that knows every other one.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace idpd::app {

// The effective configuration. Defaults live here; config/idpd.toml documents each key with
// the same default, and a unit test keeps the two equal.
struct Config {
    struct Server {
        std::string issuer = "http://localhost:8080";
        std::string address = "127.0.0.1";
        std::uint16_t port = 8080;
        std::size_t io_threads = 1;
        std::size_t worker_threads = 8;
        std::size_t queue_limit = 1024;
        std::size_t max_body_bytes = 1024 * 1024;
        std::size_t max_header_bytes = 16 * 1024;
        std::chrono::milliseconds header_timeout{10'000};
        std::chrono::milliseconds body_timeout{30'000};
        std::chrono::milliseconds keepalive_timeout{75'000};
        std::chrono::milliseconds drain_timeout{10'000};
        std::chrono::milliseconds cleanup_interval{600'000};
        std::filesystem::path static_dir = "static";
        std::chrono::seconds static_max_age{3600};
        std::filesystem::path var_dir = "var";
    } server;

    struct Tls {
        std::filesystem::path cert_file;  // empty: plain HTTP (behind a TLS-terminating proxy)
        std::filesystem::path key_file;
    } tls;

    struct Proxy {
        std::vector<std::string> trusted;  // CIDRs whose X-Forwarded-* headers count
    } proxy;

    struct Database {
        std::string url = "sqlite:var/idpd.db";
        std::size_t pool_size = 8;
        std::chrono::milliseconds connect_timeout{3000};
        std::chrono::milliseconds busy_timeout{5000};
        std::chrono::milliseconds pool_timeout{5000};
        bool migrate_on_start = true;
    } database;

    struct Oidc {
        std::chrono::seconds access_token_ttl{600};
        std::string access_token_audience;  // empty: the issuer
        std::chrono::seconds id_token_ttl{600};
        std::chrono::seconds authorization_code_ttl{60};
        std::chrono::seconds metadata_max_age{300};
        std::chrono::seconds refresh_token_idle_ttl{std::chrono::days(14)};
        std::chrono::seconds refresh_token_absolute_ttl{std::chrono::days(30)};
        std::chrono::seconds refresh_token_reuse_grace{2};
        std::chrono::seconds dpop_proof_max_age{60};
    } oidc;

    struct Keys {
        std::string master_key;  // 32 bytes, base64url; empty: development key file in var_dir
        std::vector<std::string> algs{"RS256", "PS256", "ES256", "EdDSA"};
        std::chrono::seconds rotation_period{std::chrono::hours(24 * 30)};
        std::chrono::seconds publish_ahead{std::chrono::hours(24)};
        std::chrono::seconds max_token_lifetime{std::chrono::hours(24)};
        std::chrono::seconds reload_interval{5};
        std::size_t rsa_bits = 2048;
    } keys;

    struct Passwords {
        std::string policy = "asvs";
        std::uint32_t argon2_memory_kib = 19 * 1024;
        std::uint32_t argon2_iterations = 2;
        std::uint32_t argon2_parallelism = 1;
    } passwords;

    struct Web {
        std::filesystem::path templates_dir = "templates";
        bool plain_http_cookies = false;  // development only: see config/idpd.toml
        std::chrono::seconds form_lifetime{std::chrono::hours(2)};
        std::string terms_text;  // empty: the catalogs' placeholder
    } web;

    struct Sessions {
        std::chrono::seconds idle_timeout{std::chrono::hours(2)};
        std::chrono::seconds absolute_timeout{std::chrono::hours(12)};
        std::chrono::seconds remember_idle_timeout{std::chrono::hours(24 * 7)};
        std::chrono::seconds remember_absolute_timeout{std::chrono::hours(24 * 30)};
    } sessions;

    struct Log {
        std::string level = "info";
        bool access_log = true;
    } log;
};

// One bad value, named: "server.port: expected an integer from 0 to 65535, got \"http\"".
struct ConfigError {
    std::string message;
};

// Reads defaults, then `file` (when given, or config/idpd.toml when it exists), then every
// IDPD_SECTION_KEY environment variable. `env` returns a variable's value or nullopt (tests
// inject it). An unreadable file, an unknown key or a bad value is an error.
using EnvLookup = std::optional<std::string> (*)(const char* name);
std::optional<std::string> process_env(const char* name);
std::expected<Config, ConfigError> load_config(const std::optional<std::filesystem::path>& file,
                                               EnvLookup env = process_env);

// The effective configuration as TOML, every key, secrets replaced by "********".
std::string describe(const Config& config);

// Text forms shared with the CLI: "250ms", "10s", "5m", "12h", "7d"; "16KiB", "1MiB", "1048576".
std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);
std::string format_duration(std::chrono::milliseconds d);
std::expected<std::size_t, std::string> parse_size(std::string_view text);
std::string format_size(std::size_t bytes);

}  // namespace idpd::app
