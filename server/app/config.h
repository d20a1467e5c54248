// app: the composition root. Reads the configuration, builds every service, wires the routes,
// and runs the CLI. The only folder that knows every other one.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace idpd::app {

// [federation] <upstream>_<key> settings and their defaults, in the order config/idpd.toml
// documents them (app/federation_settings.cpp): "github_client_id" → "".
const std::vector<std::pair<std::string, std::string>>& federation_upstream_keys();

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
        // Room for a max-size avatar (account.avatar_max, 1 MiB) in its multipart form.
        std::size_t max_body_bytes = 2 * 1024 * 1024;
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
        std::chrono::milliseconds client_cache_ttl{5000};
        std::chrono::seconds par_ttl{60};  // RFC 9126 request_uri lifetime
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
        std::chrono::seconds verify_email_ttl{std::chrono::hours(2)};
        std::chrono::seconds password_reset_ttl{std::chrono::minutes(30)};
        std::chrono::seconds email_resend_cooldown{60};
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

    struct Notify {
        std::string email_transport = "file";    // "file" (var_dir/outbox/) | "smtp" | "off"
        std::string smtp_url;                    // smtp://host:587 or smtps://host:465
        std::string smtp_starttls = "required";  // "required" | "off"
        std::string smtp_username;
        std::string smtp_password;  // a secret: masked by `idpd config check`
        std::string smtp_ca_file;
        std::chrono::seconds smtp_timeout{60};
        std::string from_address = "idpd <no-reply@localhost>";
        std::string sms_transport = "file";  // "file" | "gateway" | "off"
        std::string sms_gateway_url;
        std::string sms_gateway_token;  // a secret
        std::size_t max_attempts = 8;
        std::chrono::seconds retry_base{30};
        std::chrono::seconds retry_max{std::chrono::hours(1)};
        std::chrono::milliseconds poll_interval{2000};
        std::chrono::seconds keep_finished{std::chrono::hours(24 * 7)};
        bool dev_outbox_page = true;  // development only: see config/idpd.toml
        // WeChat official-account template messages (notify/wechat_template_sender.h).
        std::string wechat_api_base = "https://api.weixin.qq.com";
        std::string wechat_app_id;
        std::string wechat_app_secret;         // a secret
        std::string wechat_template_security;  // template id of security notices
        std::string wechat_template_billing;
        std::string wechat_template_org_invitation;
        std::string wechat_template_product;
        std::string wechat_callback_token;  // a secret: signs /wechat/mp/events
    } notify;

    // Keycloak's brute-force defaults (auth/login_throttle.h).
    struct Throttle {
        bool enabled = true;
        std::uint32_t failure_factor = 30;
        std::chrono::seconds wait_increment{60};
        std::chrono::seconds max_wait{std::chrono::minutes(15)};
        std::chrono::seconds max_delta_time{std::chrono::hours(12)};
        std::chrono::milliseconds quick_login_check{1000};
        std::chrono::seconds quick_login_min_wait{60};
        std::uint32_t ip_failure_factor = 100;
    } throttle;

    struct Captcha {
        bool enabled = true;
        std::chrono::seconds ttl{std::chrono::minutes(10)};
    } captcha;

    struct Clients {
        // Every *.toml here is one client, applied at start and by `idpd client apply`; a
        // missing directory holds none.
        std::filesystem::path dir = "config/clients.d";
    } clients;

    struct Registration {
        bool enabled = false;              // RFC 7591 /register
        std::string initial_access_token;  // secret; required when enabled
    } registration;

    struct Admin {
        std::string api_token;  // secret; empty: /admin/api/v1 is not served
    } admin;

    // Plan prices (fen per month) and quotas (units per month); the line-up itself is fixed
    // (billing/plans.h). The Free plan costs nothing.
    struct Billing {
        std::uint64_t free_2x_quota = 2'000;
        std::uint64_t pro_8x_price_fen = 9'900;
        std::uint64_t pro_8x_quota = 8'000;
        std::uint64_t pro_16x_price_fen = 19'900;
        std::uint64_t pro_16x_quota = 16'000;
        std::uint64_t pro_64x_price_fen = 69'900;
        std::uint64_t pro_64x_quota = 64'000;
        std::uint64_t enterprise_128x_price_fen = 129'900;
        std::uint64_t enterprise_128x_quota = 128'000;
        std::uint64_t enterprise_256x_price_fen = 249'900;
        std::uint64_t enterprise_256x_quota = 256'000;
        std::uint64_t enterprise_512x_price_fen = 479'900;
        std::uint64_t enterprise_512x_quota = 512'000;
        std::chrono::seconds order_ttl{std::chrono::hours(24)};  // unpaid top-up orders expire
        std::string alipay_app_id;                         // empty: no Alipay notices are served
        std::filesystem::path alipay_public_key_file;      // Alipay's public key, PEM
        std::uint64_t wechat_binding_bonus_quota = 1'000;  // quota units, once per account
        // Alipay precreate (billing/channels/alipay.h): required with alipay_app_id.
        std::string alipay_gateway_url = "https://openapi.alipay.com/gateway.do";
        std::filesystem::path alipay_app_private_key_file;  // our app private key, PEM
        // WeChat Pay v3 Native (billing/channels/wechatpay.h): offered when mch_id is set.
        std::string wechatpay_base_url = "https://api.mch.weixin.qq.com";
        std::string wechatpay_app_id;
        std::string wechatpay_mch_id;
        std::string wechatpay_merchant_serial_no;
        std::filesystem::path wechatpay_merchant_key_file;  // our API certificate's key, PEM
        std::filesystem::path wechatpay_platform_key_file;  // platform cert or public key, PEM
        std::string wechatpay_platform_serial;              // empty: any Wechatpay-Serial
        std::filesystem::path wechatpay_api_v3_key_file;    // the 32-byte APIv3 key
        // Bank transfer: offered when the account number is set; shown on its order page.
        std::string bank_name;
        std::string bank_account_name;
        std::string bank_account_number;
    } billing;

    // Upstream sign-in (federation/registry.h); an upstream with an empty client_id is off.
    struct Federation {
        std::chrono::seconds state_ttl{std::chrono::minutes(10)};
        std::chrono::seconds pending_ttl{std::chrono::minutes(30)};
        std::map<std::string, std::string> upstream{federation_upstream_keys().begin(),
                                                    federation_upstream_keys().end()};
    } federation;

    // Two-step verification (web/two_step.h, web/step_up_guard.h, oidc acr step-up).
    struct Totp {
        std::string issuer_name = "idpd";      // shown in authenticator apps
        std::uint32_t trust_browser_days = 0;  // 0: "trust this browser" is not offered
        std::uint32_t lockout_after = 5;
        std::chrono::seconds first_lockout{30};
        std::chrono::seconds max_lockout{std::chrono::hours(1)};
        std::chrono::seconds mfa_lifetime{std::chrono::hours(1)};
        std::chrono::seconds step_up_window{std::chrono::minutes(5)};
        std::chrono::seconds pending_login_ttl{std::chrono::minutes(5)};
        std::string mfa_unavailable = "error";  // "error" | "enroll"
    } totp;

    struct Account {
        std::chrono::seconds username_change_cooldown{std::chrono::days(30)};
        std::size_t avatar_max_bytes = 1024 * 1024;
        std::uint64_t avatar_max_pixels = 4096ULL * 4096ULL;
        std::uint32_t deletion_grace_days = 7;  // from "delete my account" to the deletion
    } account;
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
