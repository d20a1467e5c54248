#pragma once

#include "app/config.h"
#include "web/two_step.h"

namespace idpd::app {

// [totp] mapped onto the pages' two-step options (TOTP lockout included).
web::TwoStepOptions two_step_options(const Config& config);

}  // namespace idpd::app
