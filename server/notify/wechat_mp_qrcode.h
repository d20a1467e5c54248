#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

#include "notify/wechat_access_token.h"

namespace idpd::notify {

// A temporary QR code of our official account carrying a scene (WeChat "生成带参数的二维码").
struct SceneQrCode {
    std::string ticket;
    std::string url;  // what the QR code encodes (https://weixin.qq.com/q/…)
    std::chrono::seconds expires_in{0};
};

// POST /cgi-bin/qrcode/create?access_token=… {"expire_seconds", "action_name": "QR_STR_SCENE",
// "action_info": {"scene": {"scene_str"}}} → {"ticket", "expire_seconds", "url"}. A token error
// (40001/42001) renews the token once. Scanning it makes WeChat send our callback a `subscribe`
// (EventKey "qrscene_<scene>") or `SCAN` (EventKey "<scene>") event. `scene`: 1 to 64 bytes.
// Errors: what went wrong, for logs.
std::expected<SceneQrCode, std::string> create_scene_qrcode(WechatAccessToken& token,
                                                            std::string_view scene,
                                                            std::chrono::seconds expire);

}  // namespace idpd::notify
