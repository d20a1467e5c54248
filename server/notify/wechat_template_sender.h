#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "notify/sender.h"
#include "notify/wechat_access_token.h"

namespace idpd::notify {

// One template message (WeChat official account "模板消息"): to the user's openid under our
// official account (their WeChat binding, federation/binding_store.h), the template's id
// ([notify] wechat_template_*), and the values of its fields ({{first.DATA}} …).
struct TemplateMessage {
    std::string openid;
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> data;  // field name → value
    std::string url;  // optional: where tapping the message leads
};

// Sends template messages the way the official-account API takes them, with the access token
// of notify/wechat_access_token.h:
//   POST /cgi-bin/message/template/send?access_token=… {"touser", "template_id", "url",
//        "data": {field: {"value"}}} → {"errcode": 0} when sent.
// errcode 40001 or 42001 (bad or expired token) fetches a new token and tries once more.
// Thread-safe: one token is shared by every caller.
class WechatTemplateSender {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // With a token of its own.
    WechatTemplateSender(WechatTemplateOptions options, Clock clock);
    // Sharing `token` with other callers of the official-account API.
    explicit WechatTemplateSender(std::shared_ptr<WechatAccessToken> token);

    // Errors: permanent when WeChat refuses the message itself (unknown openid, template,
    // the user unfollowed: any errcode but the token ones and -1); otherwise transient.
    SendResult send(const TemplateMessage& message);

private:
    // One POST; the errcode WeChat answered (0: sent), or the transport's error.
    std::expected<long, SendError> post(const std::string& access_token, const std::string& body);

    std::shared_ptr<WechatAccessToken> token_;
};

}  // namespace idpd::notify
