#include "app/security_settings.h"

namespace idpd::app {

auth::ThrottleOptions throttle_options(const Config& config) {
    const auto& t = config.throttle;
    auth::ThrottleOptions options;
    options.enabled = t.enabled;
    options.failure_factor = t.failure_factor;
    options.wait_increment = t.wait_increment;
    options.max_wait = t.max_wait;
    options.max_delta_time = t.max_delta_time;
    options.quick_login_check = t.quick_login_check;
    options.quick_login_min_wait = t.quick_login_min_wait;
    options.ip_failure_factor = t.ip_failure_factor;
    return options;
}

auth::CaptchaOptions captcha_options(const Config& config) {
    return auth::CaptchaOptions{config.captcha.enabled, config.captcha.ttl};
}

}  // namespace idpd::app
