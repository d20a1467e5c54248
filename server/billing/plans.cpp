#include "billing/plans.h"

#include <algorithm>

namespace idpd::billing {

const std::vector<std::string_view>& plan_ids() {
    static const std::vector<std::string_view> ids{
        "free-2x",         "pro-8x",          "pro-16x",        "pro-64x",
        "enterprise-128x", "enterprise-256x", "enterprise-512x"};
    return ids;
}

Result<Catalog> Catalog::make(std::vector<Plan> plans) {
    const auto& ids = plan_ids();
    if (plans.size() != ids.size()) {
        return fail(Error::Kind::invalid,
                    "the plan line-up is Free 2x, Pro 8x/16x/64x and "
                    "Enterprise 128x/256x/512x, each exactly once");
    }
    std::sort(plans.begin(), plans.end(),
              [](const Plan& a, const Plan& b) { return a.multiplier < b.multiplier; });
    for (std::size_t i = 0; i < plans.size(); ++i) {
        if (plans[i].id != ids[i]) {
            return fail(Error::Kind::invalid, "unexpected plan " + plans[i].id);
        }
        if (plans[i].monthly_price_fen < 0 || plans[i].quota < 0) {
            return fail(Error::Kind::invalid, plans[i].id + ": price and quota cannot be negative");
        }
    }
    if (plans.front().monthly_price_fen != 0) {
        return fail(Error::Kind::invalid, "the Free plan costs nothing");
    }
    return Catalog(std::move(plans));
}

Catalog Catalog::defaults() {
    return Catalog({
        {"free-2x", "free", 2, 0, 2'000},
        {"pro-8x", "pro", 8, 9'900, 8'000},
        {"pro-16x", "pro", 16, 19'900, 16'000},
        {"pro-64x", "pro", 64, 69'900, 64'000},
        {"enterprise-128x", "enterprise", 128, 129'900, 128'000},
        {"enterprise-256x", "enterprise", 256, 249'900, 256'000},
        {"enterprise-512x", "enterprise", 512, 479'900, 512'000},
    });
}

const Plan* Catalog::find(std::string_view id) const {
    for (const auto& plan : plans_) {
        if (plan.id == id) {
            return &plan;
        }
    }
    return nullptr;
}

}  // namespace idpd::billing
