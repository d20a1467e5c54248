#include "notify/wechat_template_sender.h"

#include <nlohmann/json.hpp>

#include "outbound/http_client.h"

namespace idpd::notify {
namespace {

// A token is renewed this long before WeChat says it expires (clock skew, a slow call).
constexpr std::chrono::seconds expiry_margin{300};

bool is_token_error(long errcode) {
    return errcode == 40001 || errcode == 42001;  // invalid credential, access_token expired
}

std::string query_escape(std::string_view value) {
    return outbound::form_body({{"v", std::string(value)}}).substr(2);
}

}  // namespace

WechatTemplateSender::WechatTemplateSender(WechatTemplateOptions options, Clock clock)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      client_(options_.api_base, options_.client) {}

std::expected<std::string, SendError> WechatTemplateSender::token(bool renew) {
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

std::expected<long, SendError> WechatTemplateSender::post(const std::string& access_token,
                                                          const std::string& body) {
    auto r = client_.post_json(
        "/cgi-bin/message/template/send?access_token=" + query_escape(access_token), body);
    if (!r) {
        return std::unexpected(SendError{false, "wechat send: " + r.error().detail});
    }
    auto answer = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || !answer.is_object() || !answer.contains("errcode") ||
        !answer["errcode"].is_number_integer()) {
        return std::unexpected(
            SendError{false, "wechat send: HTTP " + std::to_string(r->status) + ", no errcode"});
    }
    return answer["errcode"].get<long>();
}

SendResult WechatTemplateSender::send(const TemplateMessage& message) {
    nlohmann::json data = nlohmann::json::object();
    for (const auto& [name, value] : message.data) {
        data[name] = {{"value", value}};
    }
    nlohmann::json body{
        {"touser", message.openid}, {"template_id", message.template_id}, {"data", data}};
    if (!message.url.empty()) {
        body["url"] = message.url;
    }
    const std::string text = body.dump();
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto access = token(attempt > 0);
        if (!access) {
            return std::unexpected(access.error());
        }
        auto errcode = post(*access, text);
        if (!errcode) {
            return std::unexpected(errcode.error());
        }
        if (*errcode == 0) {
            return {};
        }
        if (is_token_error(*errcode) && attempt == 0) {
            continue;  // the cached token died early (another process renewed it): once more
        }
        const bool permanent = !is_token_error(*errcode) && *errcode != -1;  // -1: system busy
        return std::unexpected(SendError{
            permanent, "wechat refused the message: errcode " + std::to_string(*errcode)});
    }
    return std::unexpected(SendError{false, "wechat token refused twice"});
}

}  // namespace idpd::notify
