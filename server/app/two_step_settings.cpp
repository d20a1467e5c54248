#include "app/two_step_settings.h"

namespace idpd::app {

web::TwoStepOptions two_step_options(const Config& config) {
    const auto& t = config.totp;
    web::TwoStepOptions options;
    options.issuer_name = t.issuer_name;
    options.trust_browser_days = static_cast<int>(t.trust_browser_days);
    options.mfa_lifetime = t.mfa_lifetime;
    options.step_up_window = t.step_up_window;
    options.pending_login_ttl = t.pending_login_ttl;
    options.totp.lockout_after = static_cast<int>(t.lockout_after);
    options.totp.first_lockout = t.first_lockout;
    options.totp.max_lockout = t.max_lockout;
    return options;
}

}  // namespace idpd::app
