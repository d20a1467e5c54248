#include "app/config.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>

#include <toml++/toml.h>

#include "http/middleware/middleware.h"
#include "notify/mime.h"

namespace idpd::app {
namespace {

using Parse = std::function<std::expected<void, std::string>(Config&, const std::string&)>;
using Show = std::function<std::string(const Config&)>;

// One configuration key: how to read it from text (TOML values and environment variables both
// arrive as text) and how to print it back.
struct Setting {
    std::string_view section;
    std::string_view key;
    bool secret;
    Parse parse;
    Show show;
};

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

std::expected<std::uint64_t, std::string> parse_unsigned(std::string_view text, std::uint64_t min,
                                                         std::uint64_t max) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        return std::unexpected("expected an integer from " + std::to_string(min) + " to " +
                               std::to_string(max));
    }
    return value;
}

template <class T, class N>
Setting count(std::string_view section, std::string_view key, T Config::*group,
              N std::remove_reference_t<T>::*field, std::uint64_t min, std::uint64_t max) {
    return {section, key, false,
            [=](Config& c, const std::string& text) -> std::expected<void, std::string> {
                auto v = parse_unsigned(text, min, max);
                if (!v) {
                    return std::unexpected(v.error());
                }
                (c.*group).*field = static_cast<N>(*v);
                return {};
            },
            [=](const Config& c) {
                return std::to_string((c.*group).*field);
            }};
}

template <class T, class Duration>
Setting duration(std::string_view section, std::string_view key, T Config::*group,
                 Duration std::remove_reference_t<T>::*field) {
    return {section, key, false,
            [=](Config& c, const std::string& text) -> std::expected<void, std::string> {
                auto d = parse_duration(text);
                if (!d) {
                    return std::unexpected(d.error());
                }
                (c.*group).*field = std::chrono::duration_cast<Duration>(*d);
                return {};
            },
            [=](const Config& c) {
                return '"' +
                       format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(
                           (c.*group).*field)) +
                       '"';
            }};
}

template <class T>
Setting size(std::string_view section, std::string_view key, T Config::*group,
             std::size_t std::remove_reference_t<T>::*field) {
    return {section, key, false,
            [=](Config& c, const std::string& text) -> std::expected<void, std::string> {
                auto v = parse_size(text);
                if (!v) {
                    return std::unexpected(v.error());
                }
                (c.*group).*field = *v;
                return {};
            },
            [=](const Config& c) {
                return '"' + format_size((c.*group).*field) + '"';
            }};
}

template <class T, class Field>
Setting text(std::string_view section, std::string_view key, T Config::*group,
             Field std::remove_reference_t<T>::*field,
             std::function<std::expected<void, std::string>(const std::string&)> check = nullptr,
             bool secret = false) {
    return {section, key, secret,
            [=](Config& c, const std::string& value) -> std::expected<void, std::string> {
                if (check) {
                    auto ok = check(value);
                    if (!ok) {
                        return ok;
                    }
                }
                (c.*group).*field = Field(value);
                return {};
            },
            [=](const Config& c) {
                if constexpr (std::is_same_v<Field, std::filesystem::path>) {
                    return toml_quote(((c.*group).*field).string());
                } else {
                    return toml_quote((c.*group).*field);
                }
            }};
}

template <class T>
Setting flag(std::string_view section, std::string_view key, T Config::*group,
             bool std::remove_reference_t<T>::*field) {
    return {section, key, false,
            [=](Config& c, const std::string& value) -> std::expected<void, std::string> {
                if (value == "true" || value == "1") {
                    (c.*group).*field = true;
                } else if (value == "false" || value == "0") {
                    (c.*group).*field = false;
                } else {
                    return std::unexpected("expected true or false");
                }
                return {};
            },
            [=](const Config& c) {
                return std::string((c.*group).*field ? "true" : "false");
            }};
}

std::expected<void, std::string> check_issuer(const std::string& url) {
    bool https = url.starts_with("https://");
    bool http = url.starts_with("http://");
    if (!https && !http) {
        return std::unexpected("expected an absolute https:// URL");
    }
    if (url.find_first_of("?#") != std::string::npos) {
        return std::unexpected("an issuer has no query or fragment (OpenID Discovery §3)");
    }
    if (url.ends_with("/")) {
        return std::unexpected("leave out the trailing slash");
    }
    std::string_view host = std::string_view(url).substr(http ? 7 : 8);
    host = host.substr(0, host.find_first_of(":/"));
    if (host.empty()) {
        return std::unexpected("the URL has no host");
    }
    // OpenID Discovery requires https; plain http is for a developer's own machine only.
    if (http && host != "localhost" && host != "127.0.0.1" && host != "[::1]") {
        return std::unexpected("use https:// (plain http is allowed only for localhost)");
    }
    return {};
}

std::expected<void, std::string> check_database_url(const std::string& url) {
    if (!url.starts_with("sqlite:") && !url.starts_with("mysql://")) {
        return std::unexpected("expected sqlite:PATH or mysql://user:pass@host:port/db");
    }
    return {};
}

std::expected<void, std::string> check_log_level(const std::string& level) {
    for (std::string_view known : {"trace", "debug", "info", "warn", "error", "off"}) {
        if (level == known) {
            return {};
        }
    }
    return std::unexpected("expected one of trace, debug, info, warn, error, off");
}

std::expected<void, std::string> check_password_policy(const std::string& policy) {
    if (policy != "asvs" && policy != "console") {
        return std::unexpected("expected \"asvs\" or \"console\"");
    }
    return {};
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        auto b = item.find_first_not_of(" \t");
        auto e = item.find_last_not_of(" \t");
        if (b != std::string::npos) {
            items.push_back(item.substr(b, e - b + 1));
        }
    }
    return items;
}

template <class T>
Setting list(std::string_view section, std::string_view key, T Config::*group,
             std::vector<std::string> std::remove_reference_t<T>::*field,
             std::function<std::expected<void, std::string>(const std::string&)> check_item) {
    return {section, key, false,
            [=](Config& c, const std::string& value) -> std::expected<void, std::string> {
                auto items = split_list(value);
                for (const auto& item : items) {
                    if (auto ok = check_item(item); !ok) {
                        return ok;
                    }
                }
                (c.*group).*field = std::move(items);
                return {};
            },
            [=](const Config& c) {
                std::string out = "[";
                const auto& items = (c.*group).*field;
                for (std::size_t i = 0; i < items.size(); ++i) {
                    out += (i ? ", " : "") + toml_quote(items[i]);
                }
                return out + "]";
            }};
}

std::expected<void, std::string> check_cidr(const std::string& item) {
    if (!http::middleware::parse_cidr(item)) {
        return std::unexpected("\"" + item + "\" is not an IP address or CIDR block");
    }
    return {};
}

std::expected<void, std::string> check_alg(const std::string& item) {
    for (std::string_view known : {"RS256", "PS256", "ES256", "EdDSA"}) {
        if (item == known) {
            return {};
        }
    }
    return std::unexpected("\"" + item + "\" is not one of RS256, PS256, ES256, EdDSA");
}

std::expected<void, std::string> check_master_key(const std::string& key) {
    // 32 bytes as unpadded base64url are 43 characters of the URL-safe alphabet.
    bool ok =
        key.empty() || (key.size() == 43 &&
                        key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                                              "opqrstuvwxyz0123456789-_") == std::string::npos);
    if (!ok) {
        return std::unexpected("expected 32 random bytes as unpadded base64url (43 characters)");
    }
    return {};
}

using Check = std::function<std::expected<void, std::string>(const std::string&)>;

Check one_of(std::vector<std::string> names) {
    return
        [names = std::move(names)](const std::string& value) -> std::expected<void, std::string> {
            std::string listed;
            for (const auto& name : names) {
                if (value == name) {
                    return {};
                }
                listed += (listed.empty() ? "" : ", ") + toml_quote(name);
            }
            return std::unexpected("expected one of " + listed);
        };
}

// The issuer is the otpauth:// label's prefix: "Issuer:account", so no ':' (Key Uri Format).
std::expected<void, std::string> check_totp_issuer(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.find(':') != std::string::npos) {
        return std::unexpected("expected 1 to 64 bytes without ':'");
    }
    return {};
}

std::expected<void, std::string> check_smtp_url(const std::string& url) {
    if (!url.empty() && !url.starts_with("smtp://") && !url.starts_with("smtps://")) {
        return std::unexpected("expected smtp://host:port (STARTTLS) or smtps://host:port (TLS)");
    }
    return {};
}

std::expected<void, std::string> check_from_address(const std::string& from) {
    if (!notify::parse_mailbox(from)) {
        return std::unexpected("expected \"Name <local@domain>\" or \"local@domain\"");
    }
    return {};
}

// A bearer secret someone types into a client: long enough not to be guessed online.
std::expected<void, std::string> check_api_token(const std::string& token) {
    if (!token.empty() && token.size() < 32) {
        return std::unexpected("expected at least 32 characters (e.g. openssl rand -base64 32)");
    }
    for (char c : token) {
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
            return std::unexpected("expected printable ASCII without spaces");
        }
    }
    return {};
}

// One [federation] <upstream>_<key> text; URLs must be http(s), client secrets are masked.
// `key` lives in federation_upstream_keys()'s static table, so the Setting may view it.
Setting federation_key(const std::string& key) {
    const bool secret = key.ends_with("_client_secret");
    return {"federation", key, secret,
            [key](Config& c, const std::string& value) -> std::expected<void, std::string> {
                if (key.ends_with("_url") && !value.empty() && !value.starts_with("https://") &&
                    !value.starts_with("http://")) {
                    return std::unexpected("expected an http(s):// URL");
                }
                c.federation.upstream[key] = value;
                return {};
            },
            [key](const Config& c) {
                return toml_quote(c.federation.upstream.at(key));
            }};
}

std::vector<Setting> with_federation(std::vector<Setting> all) {
    using C = Config;
    all.push_back(duration("federation", "state_ttl", &C::federation, &C::Federation::state_ttl));
    all.push_back(
        duration("federation", "pending_ttl", &C::federation, &C::Federation::pending_ttl));
    for (const auto& [key, fallback] : federation_upstream_keys()) {
        all.push_back(federation_key(key));
    }
    return all;
}

const std::vector<Setting>& settings() {
    using C = Config;
    static const std::vector<Setting> all = with_federation({
        text("server", "issuer", &C::server, &C::Server::issuer, check_issuer),
        text("server", "address", &C::server, &C::Server::address),
        count("server", "port", &C::server, &C::Server::port, 0, 65535),
        count("server", "io_threads", &C::server, &C::Server::io_threads, 1, 64),
        count("server", "worker_threads", &C::server, &C::Server::worker_threads, 1, 1024),
        count("server", "queue_limit", &C::server, &C::Server::queue_limit, 1, 1'000'000),
        size("server", "max_body", &C::server, &C::Server::max_body_bytes),
        size("server", "max_header", &C::server, &C::Server::max_header_bytes),
        duration("server", "header_timeout", &C::server, &C::Server::header_timeout),
        duration("server", "body_timeout", &C::server, &C::Server::body_timeout),
        duration("server", "keepalive_timeout", &C::server, &C::Server::keepalive_timeout),
        duration("server", "drain_timeout", &C::server, &C::Server::drain_timeout),
        duration("server", "cleanup_interval", &C::server, &C::Server::cleanup_interval),
        text("server", "static_dir", &C::server, &C::Server::static_dir),
        duration("server", "static_max_age", &C::server, &C::Server::static_max_age),
        text("server", "var_dir", &C::server, &C::Server::var_dir),
        text("tls", "cert_file", &C::tls, &C::Tls::cert_file),
        text("tls", "key_file", &C::tls, &C::Tls::key_file),
        list("proxy", "trusted", &C::proxy, &C::Proxy::trusted, check_cidr),
        text("database", "url", &C::database, &C::Database::url, check_database_url, true),
        count("database", "pool_size", &C::database, &C::Database::pool_size, 1, 1024),
        duration("database", "connect_timeout", &C::database, &C::Database::connect_timeout),
        duration("database", "busy_timeout", &C::database, &C::Database::busy_timeout),
        duration("database", "pool_timeout", &C::database, &C::Database::pool_timeout),
        flag("database", "migrate_on_start", &C::database, &C::Database::migrate_on_start),
        duration("oidc", "access_token_ttl", &C::oidc, &C::Oidc::access_token_ttl),
        text("oidc", "access_token_audience", &C::oidc, &C::Oidc::access_token_audience),
        duration("oidc", "id_token_ttl", &C::oidc, &C::Oidc::id_token_ttl),
        duration("oidc", "authorization_code_ttl", &C::oidc, &C::Oidc::authorization_code_ttl),
        duration("oidc", "metadata_max_age", &C::oidc, &C::Oidc::metadata_max_age),
        duration("oidc", "client_cache_ttl", &C::oidc, &C::Oidc::client_cache_ttl),
        duration("oidc", "par_ttl", &C::oidc, &C::Oidc::par_ttl),
        duration("oidc", "refresh_token_idle_ttl", &C::oidc, &C::Oidc::refresh_token_idle_ttl),
        duration("oidc", "refresh_token_absolute_ttl", &C::oidc,
                 &C::Oidc::refresh_token_absolute_ttl),
        duration("oidc", "refresh_token_reuse_grace", &C::oidc,
                 &C::Oidc::refresh_token_reuse_grace),
        duration("oidc", "dpop_proof_max_age", &C::oidc, &C::Oidc::dpop_proof_max_age),
        text("keys", "master_key", &C::keys, &C::Keys::master_key, check_master_key, true),
        list("keys", "algs", &C::keys, &C::Keys::algs, check_alg),
        duration("keys", "rotation_period", &C::keys, &C::Keys::rotation_period),
        duration("keys", "publish_ahead", &C::keys, &C::Keys::publish_ahead),
        duration("keys", "max_token_lifetime", &C::keys, &C::Keys::max_token_lifetime),
        duration("keys", "reload_interval", &C::keys, &C::Keys::reload_interval),
        count("keys", "rsa_bits", &C::keys, &C::Keys::rsa_bits, 2048, 8192),
        text("passwords", "policy", &C::passwords, &C::Passwords::policy, check_password_policy),
        count("passwords", "argon2_memory_kib", &C::passwords, &C::Passwords::argon2_memory_kib,
              1024, 4 * 1024 * 1024),
        count("passwords", "argon2_iterations", &C::passwords, &C::Passwords::argon2_iterations, 1,
              64),
        count("passwords", "argon2_parallelism", &C::passwords, &C::Passwords::argon2_parallelism,
              1, 16),
        text("web", "templates_dir", &C::web, &C::Web::templates_dir),
        flag("web", "plain_http_cookies", &C::web, &C::Web::plain_http_cookies),
        duration("web", "form_lifetime", &C::web, &C::Web::form_lifetime),
        text("web", "terms_text", &C::web, &C::Web::terms_text),
        duration("web", "verify_email_ttl", &C::web, &C::Web::verify_email_ttl),
        duration("web", "password_reset_ttl", &C::web, &C::Web::password_reset_ttl),
        duration("web", "email_resend_cooldown", &C::web, &C::Web::email_resend_cooldown),
        duration("sessions", "idle_timeout", &C::sessions, &C::Sessions::idle_timeout),
        duration("sessions", "absolute_timeout", &C::sessions, &C::Sessions::absolute_timeout),
        duration("sessions", "remember_idle_timeout", &C::sessions,
                 &C::Sessions::remember_idle_timeout),
        duration("sessions", "remember_absolute_timeout", &C::sessions,
                 &C::Sessions::remember_absolute_timeout),
        text("log", "level", &C::log, &C::Log::level, check_log_level),
        flag("log", "access_log", &C::log, &C::Log::access_log),
        text("notify", "email_transport", &C::notify, &C::Notify::email_transport,
             one_of({"file", "smtp", "off"})),
        // A secret because a URL may carry user:password; mask() hides only that part.
        text("notify", "smtp_url", &C::notify, &C::Notify::smtp_url, check_smtp_url, true),
        text("notify", "smtp_starttls", &C::notify, &C::Notify::smtp_starttls,
             one_of({"required", "off"})),
        text("notify", "smtp_username", &C::notify, &C::Notify::smtp_username),
        text("notify", "smtp_password", &C::notify, &C::Notify::smtp_password, nullptr, true),
        text("notify", "smtp_ca_file", &C::notify, &C::Notify::smtp_ca_file),
        duration("notify", "smtp_timeout", &C::notify, &C::Notify::smtp_timeout),
        text("notify", "from_address", &C::notify, &C::Notify::from_address, check_from_address),
        text("notify", "sms_transport", &C::notify, &C::Notify::sms_transport,
             one_of({"file", "gateway", "off"})),
        text("notify", "sms_gateway_url", &C::notify, &C::Notify::sms_gateway_url),
        text("notify", "sms_gateway_token", &C::notify, &C::Notify::sms_gateway_token, nullptr,
             true),
        count("notify", "max_attempts", &C::notify, &C::Notify::max_attempts, 1, 100),
        duration("notify", "retry_base", &C::notify, &C::Notify::retry_base),
        duration("notify", "retry_max", &C::notify, &C::Notify::retry_max),
        duration("notify", "poll_interval", &C::notify, &C::Notify::poll_interval),
        duration("notify", "keep_finished", &C::notify, &C::Notify::keep_finished),
        flag("notify", "dev_outbox_page", &C::notify, &C::Notify::dev_outbox_page),
        text("notify", "wechat_api_base", &C::notify, &C::Notify::wechat_api_base),
        text("notify", "wechat_app_id", &C::notify, &C::Notify::wechat_app_id),
        text("notify", "wechat_app_secret", &C::notify, &C::Notify::wechat_app_secret, nullptr,
             true),
        text("notify", "wechat_template_security", &C::notify,
             &C::Notify::wechat_template_security),
        text("notify", "wechat_template_billing", &C::notify, &C::Notify::wechat_template_billing),
        text("notify", "wechat_template_org_invitation", &C::notify,
             &C::Notify::wechat_template_org_invitation),
        text("notify", "wechat_template_product", &C::notify, &C::Notify::wechat_template_product),
        text("notify", "wechat_callback_token", &C::notify, &C::Notify::wechat_callback_token,
             nullptr, true),
        flag("throttle", "enabled", &C::throttle, &C::Throttle::enabled),
        count("throttle", "failure_factor", &C::throttle, &C::Throttle::failure_factor, 1,
              1'000'000),
        duration("throttle", "wait_increment", &C::throttle, &C::Throttle::wait_increment),
        duration("throttle", "max_wait", &C::throttle, &C::Throttle::max_wait),
        duration("throttle", "max_delta_time", &C::throttle, &C::Throttle::max_delta_time),
        duration("throttle", "quick_login_check", &C::throttle, &C::Throttle::quick_login_check),
        duration("throttle", "quick_login_min_wait", &C::throttle,
                 &C::Throttle::quick_login_min_wait),
        count("throttle", "ip_failure_factor", &C::throttle, &C::Throttle::ip_failure_factor, 1,
              1'000'000),
        flag("captcha", "enabled", &C::captcha, &C::Captcha::enabled),
        duration("captcha", "ttl", &C::captcha, &C::Captcha::ttl),
        text("clients", "dir", &C::clients, &C::Clients::dir),
        flag("registration", "enabled", &C::registration, &C::Registration::enabled),
        text("registration", "initial_access_token", &C::registration,
             &C::Registration::initial_access_token, check_api_token, true),
        text("admin", "api_token", &C::admin, &C::Admin::api_token, check_api_token, true),
        count("billing", "free_2x_quota", &C::billing, &C::Billing::free_2x_quota, 0,
              1'000'000'000'000),
        count("billing", "pro_8x_price_fen", &C::billing, &C::Billing::pro_8x_price_fen, 0,
              1'000'000'000'000),
        count("billing", "pro_8x_quota", &C::billing, &C::Billing::pro_8x_quota, 0,
              1'000'000'000'000),
        count("billing", "pro_16x_price_fen", &C::billing, &C::Billing::pro_16x_price_fen, 0,
              1'000'000'000'000),
        count("billing", "pro_16x_quota", &C::billing, &C::Billing::pro_16x_quota, 0,
              1'000'000'000'000),
        count("billing", "pro_64x_price_fen", &C::billing, &C::Billing::pro_64x_price_fen, 0,
              1'000'000'000'000),
        count("billing", "pro_64x_quota", &C::billing, &C::Billing::pro_64x_quota, 0,
              1'000'000'000'000),
        count("billing", "enterprise_128x_price_fen", &C::billing,
              &C::Billing::enterprise_128x_price_fen, 0, 1'000'000'000'000),
        count("billing", "enterprise_128x_quota", &C::billing, &C::Billing::enterprise_128x_quota,
              0, 1'000'000'000'000),
        count("billing", "enterprise_256x_price_fen", &C::billing,
              &C::Billing::enterprise_256x_price_fen, 0, 1'000'000'000'000),
        count("billing", "enterprise_256x_quota", &C::billing, &C::Billing::enterprise_256x_quota,
              0, 1'000'000'000'000),
        count("billing", "enterprise_512x_price_fen", &C::billing,
              &C::Billing::enterprise_512x_price_fen, 0, 1'000'000'000'000),
        count("billing", "enterprise_512x_quota", &C::billing, &C::Billing::enterprise_512x_quota,
              0, 1'000'000'000'000),
        duration("billing", "order_ttl", &C::billing, &C::Billing::order_ttl),
        text("billing", "alipay_app_id", &C::billing, &C::Billing::alipay_app_id),
        text("billing", "alipay_public_key_file", &C::billing, &C::Billing::alipay_public_key_file),
        count("billing", "wechat_binding_bonus_quota", &C::billing,
              &C::Billing::wechat_binding_bonus_quota, 0, 1'000'000'000),
        text("billing", "alipay_gateway_url", &C::billing, &C::Billing::alipay_gateway_url),
        text("billing", "alipay_app_private_key_file", &C::billing,
             &C::Billing::alipay_app_private_key_file),
        text("billing", "wechatpay_base_url", &C::billing, &C::Billing::wechatpay_base_url),
        text("billing", "wechatpay_app_id", &C::billing, &C::Billing::wechatpay_app_id),
        text("billing", "wechatpay_mch_id", &C::billing, &C::Billing::wechatpay_mch_id),
        text("billing", "wechatpay_merchant_serial_no", &C::billing,
             &C::Billing::wechatpay_merchant_serial_no),
        text("billing", "wechatpay_merchant_key_file", &C::billing,
             &C::Billing::wechatpay_merchant_key_file),
        text("billing", "wechatpay_platform_key_file", &C::billing,
             &C::Billing::wechatpay_platform_key_file),
        text("billing", "wechatpay_platform_serial", &C::billing,
             &C::Billing::wechatpay_platform_serial),
        text("billing", "wechatpay_api_v3_key_file", &C::billing,
             &C::Billing::wechatpay_api_v3_key_file),
        text("billing", "bank_name", &C::billing, &C::Billing::bank_name),
        text("billing", "bank_account_name", &C::billing, &C::Billing::bank_account_name),
        text("billing", "bank_account_number", &C::billing, &C::Billing::bank_account_number),
        text("totp", "issuer_name", &C::totp, &C::Totp::issuer_name, check_totp_issuer),
        count("totp", "trust_browser_days", &C::totp, &C::Totp::trust_browser_days, 0, 365),
        count("totp", "lockout_after", &C::totp, &C::Totp::lockout_after, 1, 100),
        duration("totp", "first_lockout", &C::totp, &C::Totp::first_lockout),
        duration("totp", "max_lockout", &C::totp, &C::Totp::max_lockout),
        duration("totp", "mfa_lifetime", &C::totp, &C::Totp::mfa_lifetime),
        duration("totp", "step_up_window", &C::totp, &C::Totp::step_up_window),
        duration("totp", "pending_login_ttl", &C::totp, &C::Totp::pending_login_ttl),
        text("totp", "mfa_unavailable", &C::totp, &C::Totp::mfa_unavailable,
             one_of({"error", "enroll"})),
        duration("account", "username_change_cooldown", &C::account,
                 &C::Account::username_change_cooldown),
        size("account", "avatar_max", &C::account, &C::Account::avatar_max_bytes),
        count("account", "avatar_max_pixels", &C::account, &C::Account::avatar_max_pixels, 1,
              100'000'000),
        count("account", "deletion_grace_days", &C::account, &C::Account::deletion_grace_days, 1,
              365),
    });
    return all;
}

const Setting* find_setting(std::string_view section, std::string_view key) {
    for (const Setting& s : settings()) {
        if (s.section == section && s.key == key) {
            return &s;
        }
    }
    return nullptr;
}

// A TOML value as the same text an environment variable would carry.
std::optional<std::string> toml_text(const toml::node& node) {
    if (auto s = node.as_string()) {
        return s->get();
    }
    if (auto i = node.as_integer()) {
        return std::to_string(i->get());
    }
    if (auto b = node.as_boolean()) {
        return b->get() ? "true" : "false";
    }
    if (auto a = node.as_array()) {
        std::string joined;
        for (const auto& item : *a) {
            auto t = toml_text(item);
            if (!t) {
                return std::nullopt;
            }
            joined += (joined.empty() ? "" : ",") + *t;
        }
        return joined;
    }
    return std::nullopt;
}

// Hides a secret but keeps what an operator needs to recognise it: for a URL, everything
// but the password ("mysql://idpd:********@db:3306/idpd").
std::string mask(std::string_view value) {
    if (value.starts_with("sqlite:")) {
        return std::string(value);  // a file path holds no secret
    }
    auto scheme = value.find("://");
    auto at = value.rfind('@');
    if (scheme != std::string_view::npos && at != std::string_view::npos && at > scheme) {
        auto colon = value.find(':', scheme + 3);
        if (colon != std::string_view::npos && colon < at) {
            return std::string(value.substr(0, colon + 1)) + "********" +
                   std::string(value.substr(at));
        }
        return std::string(value);
    }
    return value.empty() ? std::string() : "********";
}

std::expected<void, ConfigError> apply(Config& config, const Setting& s, const std::string& value,
                                       std::string_view origin) {
    auto ok = s.parse(config, value);
    if (!ok) {
        std::string shown = s.secret ? mask(value) : value;
        return std::unexpected(ConfigError{std::string(s.section) + "." + std::string(s.key) +
                                           ": " + ok.error() + ", got " + toml_quote(shown) +
                                           std::string(origin)});
    }
    return {};
}

std::expected<void, ConfigError> apply_file(Config& config, const std::filesystem::path& file) {
    toml::table table;
    try {
        table = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        return std::unexpected(ConfigError{file.string() + ":" + std::to_string(where.line) + ": " +
                                           std::string(e.description())});
    }
    for (const auto& [section_key, section_node] : table) {
        const auto* section = section_node.as_table();
        if (section == nullptr) {
            return std::unexpected(ConfigError{std::string(section_key.str()) +
                                               ": expected a [section] in " + file.string()});
        }
        for (const auto& [key, node] : *section) {
            const Setting* s = find_setting(section_key.str(), key.str());
            if (s == nullptr) {
                return std::unexpected(ConfigError{std::string(section_key.str()) + "." +
                                                   std::string(key.str()) +
                                                   ": unknown setting in " + file.string()});
            }
            auto value = toml_text(node);
            if (!value) {
                return std::unexpected(ConfigError{std::string(section_key.str()) + "." +
                                                   std::string(key.str()) +
                                                   ": unsupported value type in " + file.string()});
            }
            auto ok = apply(config, *s, *value, " in " + file.string());
            if (!ok) {
                return ok;
            }
        }
    }
    return {};
}

std::string env_name(const Setting& s) {
    std::string name = "IDPD_";
    for (char c : std::string(s.section) + "_" + std::string(s.key)) {
        name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return name;
}

std::expected<void, ConfigError> check_notify(const Config::Notify& n, const std::string& issuer) {
    if (n.dev_outbox_page && issuer.starts_with("https://")) {
        return std::unexpected(ConfigError{
            "notify.dev_outbox_page: only for an http://localhost issuer; it shows every "
            "message sent, sign-in links included (set it to false, and email_transport to "
            "\"smtp\")"});
    }
    if (n.email_transport == "smtp" && n.smtp_url.empty()) {
        return std::unexpected(
            ConfigError{"notify.smtp_url: needed with email_transport = \"smtp\""});
    }
    if (n.smtp_url.starts_with("smtp://") && n.smtp_starttls == "off" && !n.smtp_username.empty()) {
        return std::unexpected(
            ConfigError{"notify.smtp_username: a password is never sent in the clear; use "
                        "smtp_starttls = "
                        "\"required\" or an smtps:// URL"});
    }
    if (n.sms_transport == "gateway" && !n.sms_gateway_url.starts_with("https://") &&
        !n.sms_gateway_url.starts_with("http://")) {
        return std::unexpected(
            ConfigError{"notify.sms_gateway_url: needed with sms_transport = \"gateway\" "
                        "(an http(s):// URL)"});
    }
    if (n.retry_base.count() == 0 || n.retry_base > n.retry_max ||
        n.poll_interval < std::chrono::milliseconds(10)) {
        return std::unexpected(
            ConfigError{"notify: retry_base must be at least 1s and at most retry_max, "
                        "poll_interval at "
                        "least 10ms"});
    }
    return {};
}

std::expected<void, ConfigError> check_refresh_and_dpop(const Config::Oidc& o) {
    if (o.refresh_token_idle_ttl < std::chrono::minutes(1) ||
        o.refresh_token_idle_ttl > o.refresh_token_absolute_ttl) {
        return std::unexpected(
            ConfigError{"oidc.refresh_token_idle_ttl: at least 1m and at most "
                        "oidc.refresh_token_absolute_ttl"});
    }
    if (o.refresh_token_reuse_grace > std::chrono::minutes(1)) {
        return std::unexpected(
            ConfigError{"oidc.refresh_token_reuse_grace: at most 1m; it is a window for concurrent "
                        "refreshes, and a stolen token is reusable inside it"});
    }
    if (o.dpop_proof_max_age < std::chrono::seconds(1) ||
        o.dpop_proof_max_age > std::chrono::minutes(10)) {
        return std::unexpected(
            ConfigError{"oidc.dpop_proof_max_age: must be 1s to 10m (RFC 9449 §11.1: a proof "
                        "is accepted only briefly after its creation)"});
    }
    return {};
}

std::expected<void, ConfigError> check_whole(const Config& c) {
    if (c.server.cleanup_interval < std::chrono::seconds(1)) {
        return std::unexpected(ConfigError{"server.cleanup_interval: at least 1s"});
    }
    if (c.tls.cert_file.empty() != c.tls.key_file.empty()) {
        return std::unexpected(ConfigError{
            "tls.cert_file and tls.key_file: give both (HTTPS) or neither (plain HTTP)"});
    }
    if (c.oidc.access_token_ttl > c.keys.max_token_lifetime) {
        return std::unexpected(
            ConfigError{"oidc.access_token_ttl: must not exceed keys.max_token_lifetime, "
                        "or a token would "
                        "outlive the key that verifies it"});
    }
    if (c.oidc.id_token_ttl > c.keys.max_token_lifetime) {
        return std::unexpected(ConfigError{
            "oidc.id_token_ttl: must not exceed keys.max_token_lifetime, or a token would "
            "outlive the key that verifies it"});
    }
    if (c.oidc.authorization_code_ttl < std::chrono::seconds(1) ||
        c.oidc.authorization_code_ttl > std::chrono::minutes(10)) {
        return std::unexpected(
            ConfigError{"oidc.authorization_code_ttl: must be 1s to 10m (RFC 6749 §4.1.2 "
                        "recommends at most "
                        "10 minutes)"});
    }
    if (c.oidc.par_ttl < std::chrono::seconds(1) || c.oidc.par_ttl > std::chrono::minutes(10)) {
        return std::unexpected(
            ConfigError{"oidc.par_ttl: must be 1s to 10m (RFC 9126 §2.2: a request_uri is "
                        "short-lived)"});
    }
    if (auto refresh = check_refresh_and_dpop(c.oidc); !refresh) {
        return refresh;
    }
    if (c.oidc.metadata_max_age >= c.keys.publish_ahead) {
        return std::unexpected(
            ConfigError{"oidc.metadata_max_age: must be shorter than keys.publish_ahead, so "
                        "verifiers see a next key before it signs"});
    }
    if (c.web.plain_http_cookies && c.server.issuer.starts_with("https://")) {
        return std::unexpected(ConfigError{
            "web.plain_http_cookies: only for an http://localhost issuer; over https the "
            "cookies must be __Host- and Secure"});
    }
    if (c.sessions.idle_timeout.count() == 0 || c.sessions.remember_idle_timeout.count() == 0 ||
        c.web.form_lifetime.count() == 0) {
        return std::unexpected(
            ConfigError{"sessions.idle_timeout, sessions.remember_idle_timeout and "
                        "web.form_lifetime must "
                        "be longer than 0s"});
    }
    if (c.sessions.idle_timeout > c.sessions.absolute_timeout ||
        c.sessions.remember_idle_timeout > c.sessions.remember_absolute_timeout) {
        return std::unexpected(
            ConfigError{"sessions: an idle timeout must not exceed its absolute timeout"});
    }
    if (c.keys.algs.empty()) {
        return std::unexpected(ConfigError{"keys.algs: name at least one algorithm"});
    }
    if (c.captcha.ttl < std::chrono::seconds(10)) {
        return std::unexpected(ConfigError{"captcha.ttl: at least 10s, time to read and type"});
    }
    if (c.federation.state_ttl < std::chrono::seconds(30) ||
        c.federation.pending_ttl < std::chrono::seconds(60)) {
        return std::unexpected(ConfigError{
            "federation.state_ttl and federation.pending_ttl: at least 30s and 60s, time to "
            "sign in upstream and choose an account"});
    }
    if (c.totp.mfa_lifetime.count() == 0 || c.totp.step_up_window.count() == 0 ||
        c.totp.pending_login_ttl < std::chrono::seconds(30)) {
        return std::unexpected(
            ConfigError{"totp.mfa_lifetime and totp.step_up_window must be longer than 0s, "
                        "totp.pending_login_ttl at least 30s"});
    }
    if (c.totp.first_lockout > c.totp.max_lockout) {
        return std::unexpected(ConfigError{"totp.first_lockout must not exceed totp.max_lockout"});
    }
    if (c.registration.enabled && c.registration.initial_access_token.empty()) {
        return std::unexpected(ConfigError{
            "registration.initial_access_token: required when registration.enabled is true"});
    }
    return check_notify(c.notify, c.server.issuer);
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at start
    if (v == nullptr) {
        return std::nullopt;
    }
    return std::string(v);
}

std::expected<Config, ConfigError> load_config(const std::optional<std::filesystem::path>& file,
                                               EnvLookup env) {
    Config config;
    std::optional<std::filesystem::path> path = file;
    if (!path && std::filesystem::exists("config/idpd.toml")) {
        path = "config/idpd.toml";
    }
    if (path) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*path, ec)) {
            return std::unexpected(ConfigError{"cannot read configuration file " + path->string() +
                                               ": " +
                                               (ec ? ec.message() : std::string("no such file"))});
        }
        auto ok = apply_file(config, *path);
        if (!ok) {
            return std::unexpected(ok.error());
        }
    }
    for (const Setting& s : settings()) {
        std::string name = env_name(s);
        if (auto value = env(name.c_str())) {
            auto ok = apply(config, s, *value, " (from " + name + ")");
            if (!ok) {
                return std::unexpected(ok.error());
            }
        }
    }
    auto whole = check_whole(config);
    if (!whole) {
        return std::unexpected(whole.error());
    }
    return config;
}

std::string describe(const Config& config) {
    std::string out;
    std::string_view section;
    for (const Setting& s : settings()) {
        if (s.section != section) {
            section = s.section;
            out += (out.empty() ? "[" : "\n[") + std::string(section) + "]\n";
        }
        std::string shown = s.show(config);
        if (s.secret) {
            // show() gives a quoted TOML string; mask what is inside the quotes.
            shown = toml_quote(mask(shown.substr(1, shown.size() - 2)));
        }
        out += std::string(s.key) + " = " + shown + "\n";
    }
    return out;
}

}  // namespace idpd::app
