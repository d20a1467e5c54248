#include "app/billing_settings.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace idpd::app {

billing::Catalog plan_catalog(const Config& config) {
    const auto& b = config.billing;
    auto fen = [](std::uint64_t v) {
        return static_cast<std::int64_t>(v);
    };
    auto catalog = billing::Catalog::make({
        {"free-2x", "free", 2, 0, fen(b.free_2x_quota)},
        {"pro-8x", "pro", 8, fen(b.pro_8x_price_fen), fen(b.pro_8x_quota)},
        {"pro-16x", "pro", 16, fen(b.pro_16x_price_fen), fen(b.pro_16x_quota)},
        {"pro-64x", "pro", 64, fen(b.pro_64x_price_fen), fen(b.pro_64x_quota)},
        {"enterprise-128x", "enterprise", 128, fen(b.enterprise_128x_price_fen),
         fen(b.enterprise_128x_quota)},
        {"enterprise-256x", "enterprise", 256, fen(b.enterprise_256x_price_fen),
         fen(b.enterprise_256x_quota)},
        {"enterprise-512x", "enterprise", 512, fen(b.enterprise_512x_price_fen),
         fen(b.enterprise_512x_quota)},
    });
    if (!catalog) {
        throw std::runtime_error("billing: " + catalog.error().message);
    }
    return std::move(*catalog);
}

std::optional<billing::alipay::NotifyConfig> alipay_notify_config(const Config& config) {
    if (config.billing.alipay_app_id.empty()) {
        return std::nullopt;
    }
    std::ifstream in(config.billing.alipay_public_key_file);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().find("BEGIN PUBLIC KEY") == std::string::npos) {
        throw std::runtime_error(
            "billing.alipay_public_key_file: cannot read a PEM public key from " +
            config.billing.alipay_public_key_file.string());
    }
    return billing::alipay::NotifyConfig{config.billing.alipay_app_id, pem.str()};
}

}  // namespace idpd::app
