#include "notify/wechat_access_token.h"

#include <nlohmann/json.hpp>

namespace idpd::notify {
namespace {

// A token is renewed this long before WeChat says it expires (clock skew, a slow call).
constexpr std::chrono::seconds expiry_margin{300};

}  // namespace

WechatAccessToken::WechatAccessToken(WechatTemplateOptions options, Clock clock)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      client_(options_.api_base, options_.client) {}

std::string WechatAccessToken::query_escape(std::string_view value) {
    return outbound::form_body({{"v", std::string(value)}}).substr(2);
}

std::expected<std::string, SendError> WechatAccessToken::get(bool renew) {
    std::lock_guard lock(mutex_);
    if (!renew && !token_.empty() && clock_() < token_expires_) {
        return token_;
    }
    auto r = client_.get(
        "/cgi-bin/token?grant_type=client_credential&appid=" + query_escape(options_.app_id) +
        "&secret=" + query_escape(options_.app_secret));
    if (!r) {
        return std::unexpected(SendError{false, "wechat token: " + r.error().detail});
    }
    auto body = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || !body.is_object() || !body.contains("access_token") ||
        !body["access_token"].is_string()) {
        const auto errcode = body.is_object() ? body.value("errcode", 0L) : 0L;
        // 40013 invalid appid, 40125 invalid secret: the configuration is wrong; retrying later
        // lets an operator fix it without losing the message.
        return std::unexpected(SendError{false, "wechat token refused: HTTP " +
                                                    std::to_string(r->status) + ", errcode " +
                                                    std::to_string(errcode)});
    }
    const auto lifetime = std::chrono::seconds{body.value("expires_in", 7200L)};
    token_ = body["access_token"].get<std::string>();
    token_expires_ = clock_() + std::max(lifetime - expiry_margin, std::chrono::seconds{0});
    return token_;
}

}  // namespace idpd::notify
