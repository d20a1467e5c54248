#include "web/wechat_mp_callback.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "notify/outbox.h"
#include "notify/wechat_link_store.h"
#include "notify/wechat_mp_event.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view path = "/wechat/mp/events";
constexpr std::string_view scene_prefix = "qrscene_";

HttpResponse success() {
    return HttpResponse::text(200, "success");
}

audit::Event audit_of(const HttpRequest& req, audit::EventType type, std::int64_t user_id) {
    audit::Event e;
    e.type = type;
    e.user_id = user_id;
    e.ip = req.peer_ip;
    e.user_agent = "wechat callback";
    return e;
}

// The scene of a subscribe/SCAN event, or empty when it carries none of ours.
std::string scene_of(const notify::MpEvent& e) {
    if (e.event == "subscribe" && e.event_key.starts_with(scene_prefix)) {
        return e.event_key.substr(scene_prefix.size());
    }
    if (e.event == "SCAN") {
        return e.event_key;
    }
    return {};
}

store::Result<void> link(store::Database& tx, const HttpRequest& req, const std::string& scene,
                         const std::string& openid, std::chrono::sys_seconds now) {
    auto linked = notify::WechatLinkStore{tx}.link_by_scene(scene, openid, now);
    if (!linked) {
        return std::unexpected(linked.error());
    }
    if (linked->kind != notify::LinkOutcome::Kind::linked) {
        spdlog::info("wechat mp: scan of an unknown, used or expired scene ignored");
        return {};
    }
    if (linked->previous_owner) {
        auto moved = audit_of(req, audit::EventType::wechat_mp_unlinked, *linked->previous_owner);
        moved.detail = {{"reason", "moved"}};
        if (auto logged = audit::record(tx, moved, now); !logged) {
            return logged;
        }
    }
    return audit::record(tx, audit_of(req, audit::EventType::wechat_mp_linked, linked->user_id),
                         now);
}

store::Result<void> unlink(store::Database& tx, const HttpRequest& req, const std::string& openid,
                           std::chrono::sys_seconds now) {
    auto owner = notify::WechatLinkStore{tx}.unlink_openid(openid);
    if (!owner) {
        return std::unexpected(owner.error());
    }
    if (!*owner) {
        return {};
    }
    auto e = audit_of(req, audit::EventType::wechat_mp_unlinked, **owner);
    e.detail = {{"reason", "unsubscribe"}};
    return audit::record(tx, e, now);
}

}  // namespace

void WechatMpCallback::add_routes(http::Router& router) {
    router.add(http::Method::get, std::string(path),
               [this](const HttpRequest& req) { return verify_url(req); });
    router.add(http::Method::post, std::string(path),
               [this](const HttpRequest& req) { return event(req); });
}

bool WechatMpCallback::signed_by_wechat(const HttpRequest& req, bool check_time) {
    const std::string timestamp = first_query_param(req, "timestamp");
    if (!notify::valid_callback_signature(token_, timestamp, first_query_param(req, "nonce"),
                                          first_query_param(req, "signature"))) {
        return false;
    }
    if (!check_time) {
        return true;
    }
    std::int64_t at = 0;
    auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), at);
    if (ec != std::errc{} || end != timestamp.data() + timestamp.size()) {
        return false;
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const auto sent = std::chrono::sys_seconds{std::chrono::seconds{at}};
    return sent > now - window_ && sent < now + window_;
}

HttpResponse WechatMpCallback::verify_url(const HttpRequest& req) {
    if (!signed_by_wechat(req, false)) {
        spdlog::warn("wechat mp: URL check with a bad signature from {}", req.peer_ip);
        return HttpResponse::text(403, "bad signature");
    }
    return HttpResponse::text(200, first_query_param(req, "echostr"));
}

HttpResponse WechatMpCallback::event(const HttpRequest& req) {
    if (!signed_by_wechat(req, true)) {
        spdlog::warn("wechat mp: event with a bad signature or timestamp from {}", req.peer_ip);
        return HttpResponse::text(403, "bad signature");
    }
    auto e = notify::parse_mp_event(req.body);
    if (!e) {
        spdlog::warn("wechat mp: unreadable event: {}", e.error());
        return HttpResponse::text(400, "bad message");
    }
    if (!notify::is_openid(e->from_user)) {
        spdlog::warn("wechat mp: event from a malformed openid");
        return HttpResponse::text(400, "bad message");
    }
    if (e->msg_type != "event") {
        return success();  // a chat message: nobody answers it here
    }
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const std::string scene = scene_of(*e);
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        if (!scene.empty()) {
            return link(tx, req, scene, e->from_user, now);
        }
        if (e->event == "unsubscribe") {
            return unlink(tx, req, e->from_user, now);
        }
        return {};
    });
    if (!done) {
        spdlog::error("wechat mp: cannot handle a {} event: {}", e->event, done.error().message);
        return HttpResponse::text(503, "try again");
    }
    return success();
}

}  // namespace idpd::web
