#pragma once

#include "app/config.h"
#include "billing/plans.h"

namespace idpd::app {

// The [billing] prices and quotas as the plan catalogue. Throws std::runtime_error for a
// line-up billing::Catalog refuses (it cannot happen with load_config's checks, but a wrong
// catalogue must never start charging).
billing::Catalog plan_catalog(const Config& config);

}  // namespace idpd::app
