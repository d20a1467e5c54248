#include "web/notification_pages.h"

#include <spdlog/spdlog.h>

#include "notify/preferences.h"
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

}  // namespace

void NotificationPages::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/account/notifications",
               [this](const HttpRequest& req) { return get_preferences(req); });
    router.add(Method::post, "/account/notifications",
               [this](const HttpRequest& req) { return post_preferences(req); });
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
