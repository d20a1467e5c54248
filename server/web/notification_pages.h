#pragma once

#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include "http/router.h"
#include "notify/wechat_mp_qrcode.h"
#include "web/page_kit.h"
#include "web/step_up_guard.h"

namespace idpd::web {

// Makes an official-account QR code for a scene (notify::create_scene_qrcode over the shared
// token); app/ wires it. Errors: what went wrong, for the log.
using WechatQrCode =
    std::function<std::expected<notify::SceneQrCode, std::string>(std::string_view scene)>;

// The account's notification choices (templates/notifications.mustache): GET shows every
// event × channel (notify/preferences.h), POST /account/notifications stores the form and
// answers 303. Security notices by email are shown on and cannot be switched off.
// With WeChat enabled (enable_wechat), the WeChat column offers only the events with a
// template id, and the page shows the official-account link: "not linked" with a QR code of a
// fresh one-time scene (valid 10 minutes, only its hash stored) that the person scans in
// WeChat — our callback (web/wechat_mp_callback.h) links their follower openid — and an
// "I have scanned" link that reloads the page; or "linked" with
// POST /account/notifications/wechat/unlink (CSRF, step-up, audited).
class NotificationPages {
public:
    NotificationPages(PageKit& kit, StepUpGuard& guard) : kit_(kit), guard_(guard) {}

    void enable_wechat(WechatQrCode qrcode) { qrcode_ = std::move(qrcode); }

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_preferences(const http::HttpRequest& req);
    http::HttpResponse post_preferences(const http::HttpRequest& req);
    http::HttpResponse post_unlink(const http::HttpRequest& req);
    // Whether the WeChat channel of `event` is offered at all.
    bool offers_wechat(notify::NoticeEvent event) const;
    // The link panel's data: linked, or a fresh QR code (or the failure to make one).
    store::Result<void> wechat_link_data(Visit& visit, mstch::map& data);

    PageKit& kit_;
    StepUpGuard& guard_;
    WechatQrCode qrcode_;  // empty: no WeChat channel
};

}  // namespace idpd::web
