#include "app/billing_settings.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "billing/channels/wechatpay.h"

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

namespace {

std::string read_file(const std::filesystem::path& path, std::string_view setting) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (path.empty() || !in) {
        throw std::runtime_error("billing." + std::string(setting) + ": cannot read " +
                                 path.string());
    }
    return text.str();
}

std::string notify_url(const Config& config, std::string_view channel) {
    std::string base = config.server.issuer;
    while (base.ends_with('/')) {
        base.pop_back();
    }
    return base + "/billing/notify/" + std::string(channel);
}

template <class T>
std::shared_ptr<const billing::PaymentChannel> opened(billing::Result<T> channel) {
    if (!channel) {
        throw std::runtime_error("billing: " + channel.error().message);
    }
    return *channel;
}

}  // namespace

billing::Channels payment_channels(const Config& config) {
    const auto& b = config.billing;
    billing::Channels channels;
    if (!b.alipay_app_id.empty()) {
        channels.alipay = opened(billing::alipay::open(
            {b.alipay_gateway_url, b.alipay_app_id,
             read_file(b.alipay_app_private_key_file, "alipay_app_private_key_file"),
             read_file(b.alipay_public_key_file, "alipay_public_key_file"),
             notify_url(config, "alipay")}));
    }
    if (!b.wechatpay_mch_id.empty()) {
        auto key = read_file(b.wechatpay_api_v3_key_file, "wechatpay_api_v3_key_file");
        while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) {
            key.pop_back();  // an editor's final newline is not part of the key
        }
        channels.wechatpay = opened(billing::wechatpay::open(
            {b.wechatpay_base_url, b.wechatpay_app_id, b.wechatpay_mch_id,
             b.wechatpay_merchant_serial_no,
             read_file(b.wechatpay_merchant_key_file, "wechatpay_merchant_key_file"),
             read_file(b.wechatpay_platform_key_file, "wechatpay_platform_key_file"),
             b.wechatpay_platform_serial, key, notify_url(config, "wechatpay")}));
    }
    if (!b.bank_account_number.empty()) {
        channels.bank =
            billing::BankDetails{b.bank_name, b.bank_account_name, b.bank_account_number};
    }
    return channels;
}

}  // namespace idpd::app
