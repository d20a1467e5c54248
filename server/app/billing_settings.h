#pragma once

#include <optional>

#include "app/config.h"
#include "billing/channels/alipay.h"
#include "billing/plans.h"

namespace idpd::app {

// The [billing] prices and quotas as the plan catalogue. Throws std::runtime_error for a
// line-up billing::Catalog refuses (it cannot happen with load_config's checks, but a wrong
// catalogue must never start charging).
billing::Catalog plan_catalog(const Config& config);

// The Alipay notice settings, or nullopt while [billing] alipay_app_id is empty. Throws
// std::runtime_error when the key file cannot be read.
std::optional<billing::alipay::NotifyConfig> alipay_notify_config(const Config& config);

}  // namespace idpd::app
