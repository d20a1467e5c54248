#pragma once

#include "app/config.h"
#include "auth/captcha_store.h"
#include "auth/login_throttle.h"

namespace idpd::app {

// [throttle] and [captcha] mapped onto the services' own options.
auth::ThrottleOptions throttle_options(const Config& config);
auth::CaptchaOptions captcha_options(const Config& config);

}  // namespace idpd::app
