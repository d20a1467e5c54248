#include "web/notification_pages.h"

#include <array>
#include <span>

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "auth/qr_svg.h"
#include "notify/preferences.h"
#include "notify/wechat_link_store.h"
#include "web/account_layout.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

// The form field of one choice: "security.sms".
std::string field_name(notify::NoticeEvent event, notify::NoticeChannel channel) {
    return std::string(notify::event_name(event)) + "." +
           std::string(notify::channel_name(channel));
}

// How long a linking QR code (and its scene) lives.
constexpr std::chrono::seconds scene_ttl{600};

std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

// An SVG as a data: URI for <img> (the CSP allows data: images; no script runs in an <img>).
std::string svg_data_uri(const std::string& svg) {
    std::string out(4 * ((svg.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(svg.data()),
                                  static_cast<int>(svg.size()));
    out.resize(static_cast<std::size_t>(n));
    return "data:image/svg+xml;base64," + out;
}

}  // namespace

bool NotificationPages::offers_wechat(notify::NoticeEvent event) const {
    return qrcode_ && !kit_.options().wechat_templates.of(event).empty();
}

store::Result<void> NotificationPages::wechat_link_data(Visit& visit, mstch::map& data) {
    if (!qrcode_) {
        return {};
    }
    data["wechat"] = true;
    notify::WechatLinkStore links{kit_.db()};
    auto openid = links.openid_of(visit.user->id);
    if (!openid) {
        return std::unexpected(openid.error());
    }
    if (*openid) {
        data["wechat_linked"] = true;
        return {};
    }
    std::array<std::uint8_t, 16> bytes{};
    kit_.random().fill(bytes);
    const std::string scene = hex(bytes);
    if (auto added = links.add_scene(scene, visit.user->id, scene_ttl, kit_.now()); !added) {
        return added;
    }
    auto code = qrcode_(scene);
    if (!code) {
        spdlog::error("wechat link QR code: {}", code.error());
        data["wechat_qr_failed"] = true;
        return {};
    }
    auto svg = auth::qr_svg(code->url);
    if (!svg) {
        spdlog::error("wechat link QR code: {}", svg.error().message);
        data["wechat_qr_failed"] = true;
        return {};
    }
    data["wechat_qr"] = svg_data_uri(*svg);
    return {};
}

HttpResponse NotificationPages::post_unlink(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fnotifications");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    if (auto gate = guard_.require(visit, "/account/notifications")) {
        return std::move(*gate);
    }
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto removed = notify::WechatLinkStore{tx}.unlink_user(visit.user->id);
        if (!removed) {
            return std::unexpected(removed.error());
        }
        if (!*removed) {
            return {};  // a second tab, or an unsubscribe, was first
        }
        auto event = PageKit::audit_event(req, audit::EventType::wechat_mp_unlinked);
        event.user_id = visit.user->id;
        event.detail = {{"reason", "user"}};
        return audit::record(tx, event, kit_.now());
    });
    if (!done) {
        spdlog::error("wechat unlink: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, "/account/notifications?wechat=unlinked");
}

void NotificationPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/account/notifications",
               [this](const HttpRequest& req) { return get_preferences(req); });
    router.add(Method::post, "/account/notifications",
               [this](const HttpRequest& req) { return post_preferences(req); });
    router.add(Method::post, "/account/notifications/wechat/unlink",
               [this](const HttpRequest& req) { return post_unlink(req); });
}

HttpResponse NotificationPages::get_preferences(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fnotifications");
    }
    auto prefs = notify::preferences(kit_.db(), visit.user->id);
    if (!prefs) {
        spdlog::error("notifications page: {}", prefs.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = account_page_data(kit_, visit, AccountTab::notifications,
                                  kit_.text(visit, "notifications.title"));
    mstch::array channels;
    for (auto channel : notify::notice_channels) {
        channels.push_back(mstch::map{
            {"label", kit_.text(visit, "notifications.channels." +
                                           std::string(notify::channel_name(channel)))}});
    }
    data["channels"] = channels;
    mstch::array rows;
    for (auto event : notify::notice_events) {
        const std::string name(notify::event_name(event));
        const std::string label = kit_.text(visit, "notifications.events." + name);
        mstch::array cells;
        for (const auto& p : *prefs) {
            if (p.event != event) {
                continue;
            }
            if (p.channel == notify::NoticeChannel::wechat && !offers_wechat(event)) {
                cells.push_back(mstch::map{
                    {"unavailable", true},
                    {"channel_label", kit_.text(visit, "notifications.channels.wechat")}});
                continue;
            }
            cells.push_back(mstch::map{
                {"field", field_name(p.event, p.channel)},
                {"enabled", p.enabled},
                {"locked", p.locked},
                {"event_label", label},
                {"channel_label",
                 kit_.text(visit, "notifications.channels." +
                                      std::string(notify::channel_name(p.channel)))},
            });
        }
        rows.push_back(mstch::map{{"label", label},
                                  {"hint", kit_.text(visit, "notifications.hints." + name)},
                                  {"cells", cells}});
    }
    data["rows"] = rows;
    if (first_query_param(req, "saved") == "1") {
        data["notice"] = kit_.text(visit, "notifications.saved");
    } else if (first_query_param(req, "wechat") == "unlinked") {
        data["notice"] = kit_.text(visit, "notices.wechat.unlinked_notice");
    }
    if (auto linked = wechat_link_data(visit, data); !linked) {
        spdlog::error("notifications page: {}", linked.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.page(visit, "notifications", 200, std::move(data));
}

HttpResponse NotificationPages::post_preferences(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Fnotifications");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    nlohmann::json changed = nlohmann::json::object();
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        for (auto event : notify::notice_events) {
            for (auto channel : notify::notice_channels) {
                if (notify::is_locked(event, channel)) {
                    continue;  // a disabled checkbox is never submitted; it stays on
                }
                if (channel == notify::NoticeChannel::wechat && !offers_wechat(event)) {
                    continue;  // not on the form: the stored choice stays as it was
                }
                const bool on = submitted.get(field_name(event, channel)) == "1";
                changed[field_name(event, channel)] = on;
                if (auto set =
                        notify::set_preference(tx, visit.user->id, event, channel, on, kit_.now());
                    !set) {
                    return set;
                }
            }
        }
        return {};
    });
    if (!done) {
        spdlog::error("notification preferences: {}", done.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto event = PageKit::audit_event(req, audit::EventType::notification_preferences_changed);
    event.user_id = visit.user->id;
    event.detail = changed;
    kit_.record(event);
    return kit_.redirect(visit, "/account/notifications?saved=1");
}

}  // namespace idpd::web
