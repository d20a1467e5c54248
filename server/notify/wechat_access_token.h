#pragma once

#include <chrono>
#include <expected>
#include <functional>
#include <mutex>
#include <string>

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

// The official account's access token, shared by everything that calls the official-account
// API (template messages, QR codes for linking): WeChat allows a limited number of token
// fetches a day, and a new token invalidates the old one after a few minutes, so one process
// keeps one.
//   GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=… → {"access_token",
//       "expires_in"}; cached until shortly before it expires.
// Thread-safe.
class WechatAccessToken {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    WechatAccessToken(WechatTemplateOptions options, Clock clock);

    // The cached token, or a fresh one when there is none, it has expired or `renew` (the API
    // answered 40001/42001 for the cached one). Errors: transient (the transport, or WeChat
    // refused the app id or secret: an operator can fix the configuration meanwhile).
    std::expected<std::string, SendError> get(bool renew);

    // The API's client (base URL [notify] wechat_api_base).
    const outbound::HttpClient& client() const { return client_; }

    // errcode 40001 (invalid credential) or 42001 (access_token expired).
    static bool is_token_error(long errcode) { return errcode == 40001 || errcode == 42001; }

    // `value` escaped for a query string.
    static std::string query_escape(std::string_view value);

private:
    WechatTemplateOptions options_;
    Clock clock_;
    outbound::HttpClient client_;
    std::mutex mutex_;
    std::string token_;
    std::chrono::system_clock::time_point token_expires_{};
};

}  // namespace idpd::notify
