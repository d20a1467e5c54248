#include "billing/channels/channel.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

namespace idpd::billing {

std::optional<std::string> Notice::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (std::ranges::equal(k, name, [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return v;
        }
    }
    return std::nullopt;
}

const PaymentChannel* Channels::find(Channel channel) const {
    switch (channel) {
        case Channel::alipay:
            return alipay.get();
        case Channel::wechatpay:
            return wechatpay.get();
        case Channel::bank:
            return nullptr;
    }
    return nullptr;
}

bool Channels::offers(Channel channel) const {
    return channel == Channel::bank ? bank.has_value() : find(channel) != nullptr;
}

std::vector<Channel> Channels::offered() const {
    std::vector<Channel> out;
    for (auto c : {Channel::alipay, Channel::wechatpay, Channel::bank}) {
        if (offers(c)) {
            out.push_back(c);
        }
    }
    return out;
}

std::string payment_code(store::Database& db, const Channels& channels, const Order& order,
                         std::chrono::sys_seconds now) {
    if (order.status != "pending") {
        return {};
    }
    if (order.payment_code) {
        return *order.payment_code;
    }
    const auto* channel = channels.find(order.channel);
    if (channel == nullptr) {
        return {};
    }
    auto code = channel->create_payment(order, now);
    if (!code) {
        spdlog::error("order {}: {} payment not created: {}", order.order_no,
                      channel_name(order.channel), code.error().message);
        return {};
    }
    if (auto kept = OrderStore(db).set_payment_code(order.order_no, *code); !kept) {
        spdlog::warn("order {}: payment code not kept: {}", order.order_no, kept.error().message);
    }
    return *code;
}

}  // namespace idpd::billing
