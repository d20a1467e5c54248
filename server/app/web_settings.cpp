#include "app/web_settings.h"

#include <stdexcept>

#include "app/notify_settings.h"

namespace idpd::app {

web::SiteOptions site_options(const Config& config) {
    web::SiteOptions options;
    options.issuer = config.server.issuer;
    options.templates_dir = config.web.templates_dir;
    options.plain_http_cookies = config.web.plain_http_cookies;
    options.form_cookie_lifetime = config.web.form_lifetime;
    options.terms_text = config.web.terms_text;
    options.verify_email_ttl = config.web.verify_email_ttl;
    options.password_reset_ttl = config.web.password_reset_ttl;
    options.email_resend_cooldown = config.web.email_resend_cooldown;
    options.dev_outbox_page = config.notify.dev_outbox_page;
    options.account.username_change_cooldown = config.account.username_change_cooldown;
    options.account.avatar_max_bytes = config.account.avatar_max_bytes;
    options.account.deletion_grace = std::chrono::days(config.account.deletion_grace_days);
    options.account.avatar_max_pixels = config.account.avatar_max_pixels;
    options.wechat_templates = wechat_templates(config);
    options.wechat_callback_token = config.notify.wechat_callback_token;
    return options;
}

auth::SessionOptions session_options(const Config& config) {
    auth::SessionOptions options;
    options.idle_timeout = config.sessions.idle_timeout;
    options.absolute_timeout = config.sessions.absolute_timeout;
    options.remember_idle_timeout = config.sessions.remember_idle_timeout;
    options.remember_absolute_timeout = config.sessions.remember_absolute_timeout;
    return options;
}

account::PasswordPolicy password_policy(const Config& config) {
    // load_config accepted only the names parse_password_preset knows.
    return account::PasswordPolicy{{account::parse_password_preset(config.passwords.policy)
                                        .value_or(account::PasswordPreset::asvs)}};
}

auth::PasswordHasher password_hasher_or_throw(const Config& config) {
    auto hasher = auth::PasswordHasher::create(
        {config.passwords.argon2_memory_kib, config.passwords.argon2_iterations,
         config.passwords.argon2_parallelism},
        auth::system_random());
    if (!hasher) {
        throw std::runtime_error("passwords: " + hasher.error().message);
    }
    return std::move(*hasher);
}

}  // namespace idpd::app
