#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "notify/sender.h"
#include "outbound/http_client.h"

namespace idpd::notify {

// Config: [notify] wechat_api_base, wechat_app_id, wechat_app_secret.
struct WechatTemplateOptions {
    std::string api_base = "https://api.weixin.qq.com";
    std::string app_id;
    std::string app_secret;  // a secret
    outbound::ClientOptions client;
};

// One template message (WeChat official account "模板消息"): to the user's openid under our
// official account (their WeChat binding, federation/binding_store.h), the template's id
// ([notify] wechat_template_*), and the values of its fields ({{first.DATA}} …).
struct TemplateMessage {
    std::string openid;
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> data;  // field name → value
    std::string url;  // optional: where tapping the message leads
};

// Sends template messages the way the official-account API takes them:
//   GET  /cgi-bin/token?grant_type=client_credential&appid=…&secret=… → {"access_token",
//        "expires_in"}; the token is cached until shortly before it expires;
//   POST /cgi-bin/message/template/send?access_token=… {"touser", "template_id", "url",
//        "data": {field: {"value"}}} → {"errcode": 0} when sent.
// errcode 40001 or 42001 (bad or expired token) fetches a new token and tries once more.
// Thread-safe: one token is shared by every caller.
class WechatTemplateSender {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    WechatTemplateSender(WechatTemplateOptions options, Clock clock);

    // Errors: permanent when WeChat refuses the message itself (unknown openid, template,
    // the user unfollowed: any errcode but the token ones and -1); otherwise transient.
    SendResult send(const TemplateMessage& message);

private:
    // The cached token, or a fresh one when there is none, it has expired or `renew`.
    std::expected<std::string, SendError> token(bool renew);
    // One POST; the errcode WeChat answered (0: sent), or the transport's error.
    std::expected<long, SendError> post(const std::string& access_token, const std::string& body);

    WechatTemplateOptions options_;
    Clock clock_;
    outbound::HttpClient client_;
    std::mutex mutex_;
    std::string token_;
    std::chrono::system_clock::time_point token_expires_{};
};

}  // namespace idpd::notify
