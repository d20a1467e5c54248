#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "billing/error.h"

namespace idpd::billing {

// One plan of the fixed line-up: Free 2x; Pro 8x, 16x, 64x; Enterprise 128x, 256x, 512x. Which
// plans exist is a product rule; their prices and quotas come from the [billing] config.
struct Plan {
    std::string id;      // "free-2x", "pro-8x", … "enterprise-512x"
    std::string family;  // "free", "pro", "enterprise"
    int multiplier = 2;  // the "x": also the plan's rank (a larger one is an upgrade)
    std::int64_t monthly_price_fen = 0;
    std::int64_t quota = 0;  // units per monthly period
};

// The plan ids in rank order.
const std::vector<std::string_view>& plan_ids();

class Catalog {
public:
    // Every id of plan_ids() exactly once, the Free plan priced 0, prices and quotas not
    // negative. Errors: invalid, naming the plan.
    static Result<Catalog> make(std::vector<Plan> plans);
    // The built-in prices and quotas (the documented config defaults).
    static Catalog defaults();

    // nullptr for an unknown id.
    const Plan* find(std::string_view id) const;

    // Free 2x: every new account starts on it, and a renewal the balance cannot pay falls to it.
    const Plan& free_plan() const { return plans_.front(); }

    const std::vector<Plan>& all() const { return plans_; }

private:
    explicit Catalog(std::vector<Plan> plans) : plans_(std::move(plans)) {}

    std::vector<Plan> plans_;  // in rank order
};

}  // namespace idpd::billing
