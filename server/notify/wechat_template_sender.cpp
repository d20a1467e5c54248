#include "notify/wechat_template_sender.h"

#include <nlohmann/json.hpp>

#include "outbound/http_client.h"

namespace idpd::notify {
WechatTemplateSender::WechatTemplateSender(WechatTemplateOptions options, Clock clock)
    : token_(std::make_shared<WechatAccessToken>(std::move(options), std::move(clock))) {}

WechatTemplateSender::WechatTemplateSender(std::shared_ptr<WechatAccessToken> token)
    : token_(std::move(token)) {}

std::expected<long, SendError> WechatTemplateSender::post(const std::string& access_token,
                                                          const std::string& body) {
    auto r = token_->client().post_json("/cgi-bin/message/template/send?access_token=" +
                                            WechatAccessToken::query_escape(access_token),
                                        body);
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
        auto access = token_->get(attempt > 0);
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
        if (WechatAccessToken::is_token_error(*errcode) && attempt == 0) {
            continue;  // the cached token died early (another process renewed it): once more
        }
        const bool permanent =
            !WechatAccessToken::is_token_error(*errcode) && *errcode != -1;  // -1: system busy
        return std::unexpected(SendError{
            permanent, "wechat refused the message: errcode " + std::to_string(*errcode)});
    }
    return std::unexpected(SendError{false, "wechat token refused twice"});
}

}  // namespace idpd::notify
