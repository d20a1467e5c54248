#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "http/router.h"
#include "store/database.h"

namespace idpd::web {

// Our official account's server URL ("服务器配置", plain mode), which links the follower
// openids that WeChat notices go to (notify/wechat_link_store.h):
//   GET  /wechat/mp/events?signature&timestamp&nonce&echostr  WeChat's check of the URL: echostr
//        when the signature is ours, 403 otherwise;
//   POST /wechat/mp/events?signature&timestamp&nonce          a pushed XML message, signed the
//        same way and no older or newer than `window`: `subscribe` with EventKey
//        "qrscene_<scene>" or `SCAN` with EventKey "<scene>" links the sender's openid to the
//        scene's account (one use per scene: a replay changes nothing); `unsubscribe` unlinks
//        it. Every handled or ignored message is answered "success" (WeChat's expected reply);
//        a database failure 503, so WeChat pushes it again.
// Served only when [notify] wechat_callback_token is set (app/ wires it). Links and unlinks go
// to the audit log.
class WechatMpCallback {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    WechatMpCallback(store::Database& db, std::string token, Clock clock,
                     std::chrono::seconds window = std::chrono::minutes(5))
        : db_(db), token_(std::move(token)), clock_(std::move(clock)), window_(window) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse verify_url(const http::HttpRequest& req);
    http::HttpResponse event(const http::HttpRequest& req);
    bool signed_by_wechat(const http::HttpRequest& req, bool check_time);

    store::Database& db_;
    std::string token_;  // a secret
    Clock clock_;
    std::chrono::seconds window_;
};

}  // namespace idpd::web
