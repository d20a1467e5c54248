#include "notify/wechat_mp_qrcode.h"

#include <nlohmann/json.hpp>

namespace idpd::notify {

std::expected<SceneQrCode, std::string> create_scene_qrcode(WechatAccessToken& token,
                                                            std::string_view scene,
                                                            std::chrono::seconds expire) {
    if (scene.empty() || scene.size() > 64) {
        return std::unexpected("a scene_str has 1 to 64 bytes");
    }
    const nlohmann::json request{{"expire_seconds", expire.count()},
                                 {"action_name", "QR_STR_SCENE"},
                                 {"action_info", {{"scene", {{"scene_str", std::string(scene)}}}}}};
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto access = token.get(attempt > 0);
        if (!access) {
            return std::unexpected(access.error().detail);
        }
        auto r = token.client().post_json(
            "/cgi-bin/qrcode/create?access_token=" + WechatAccessToken::query_escape(*access),
            request.dump());
        if (!r) {
            return std::unexpected("wechat qrcode: " + r.error().detail);
        }
        auto body = nlohmann::json::parse(r->body, nullptr, false);
        if (r->status != 200 || !body.is_object()) {
            return std::unexpected("wechat qrcode: HTTP " + std::to_string(r->status));
        }
        if (body.contains("url") && body["url"].is_string() && body.contains("ticket") &&
            body["ticket"].is_string()) {
            return SceneQrCode{body["ticket"].get<std::string>(), body["url"].get<std::string>(),
                               std::chrono::seconds{body.value("expire_seconds", expire.count())}};
        }
        const long errcode = body.contains("errcode") && body["errcode"].is_number_integer()
                                 ? body["errcode"].get<long>()
                                 : 0;
        if (!WechatAccessToken::is_token_error(errcode) || attempt > 0) {
            return std::unexpected("wechat qrcode refused: errcode " + std::to_string(errcode));
        }
    }
    return std::unexpected("wechat qrcode: token refused twice");
}

}  // namespace idpd::notify
