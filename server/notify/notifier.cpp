#include "notify/notifier.h"

#include <nlohmann/json.hpp>

#include "notify/outbox.h"
#include "notify/wechat_link_store.h"

namespace idpd::notify {
namespace {

store::Result<bool> queue(store::Database& tx, Channel channel, std::string to,
                          const Notice& notice, std::string text, std::chrono::sys_seconds now) {
    Message m;
    m.channel = channel;
    m.to = std::move(to);
    m.text = std::move(text);
    m.kind = notice.kind;
    if (channel == Channel::email) {
        m.subject = notice.email_subject;
    }
    auto queued = enqueue(tx, m, now);
    if (!queued) {
        return std::unexpected(queued.error());
    }
    return true;
}

}  // namespace

const std::string& WechatTemplates::of(NoticeEvent event) const {
    switch (event) {
        case NoticeEvent::billing:
            return billing;
        case NoticeEvent::org_invitation:
            return org_invitation;
        case NoticeEvent::product:
            return product;
        case NoticeEvent::security:
            break;
    }
    return security;
}

std::string wechat_body(NoticeEvent event, const Notice& notice) {
    nlohmann::json data = nlohmann::json::object();
    for (const auto& [name, value] : notice.wechat_data) {
        data[name] = value;
    }
    nlohmann::json body{{"event", std::string(event_name(event))}, {"data", data}};
    if (!notice.url.empty()) {
        body["url"] = notice.url;
    }
    return body.dump();
}

store::Result<Sent> Notifier::send(store::Database& tx, std::int64_t user_id, NoticeEvent event,
                                   const Notice& notice, const Reach& reach,
                                   std::chrono::sys_seconds now) const {
    Sent sent;
    auto wants = [&](NoticeChannel channel) {
        return should_notify(tx, user_id, event, channel);
    };
    if (reach.email) {
        auto on = wants(NoticeChannel::email);
        if (!on) {
            return std::unexpected(on.error());
        }
        if (*on) {
            auto q = queue(tx, Channel::email, *reach.email, notice, notice.email_text, now);
            if (!q) {
                return std::unexpected(q.error());
            }
            sent.email = true;
        }
    }
    if (reach.phone && !notice.sms_text.empty()) {
        auto on = wants(NoticeChannel::sms);
        if (!on) {
            return std::unexpected(on.error());
        }
        if (*on) {
            auto q = queue(tx, Channel::sms, *reach.phone, notice, notice.sms_text, now);
            if (!q) {
                return std::unexpected(q.error());
            }
            sent.sms = true;
        }
    }
    if (!offers_wechat(event)) {
        return sent;
    }
    auto on = wants(NoticeChannel::wechat);
    if (!on) {
        return std::unexpected(on.error());
    }
    if (!*on) {
        return sent;
    }
    auto openid = WechatLinkStore{tx}.openid_of(user_id);
    if (!openid) {
        return std::unexpected(openid.error());
    }
    if (*openid) {
        auto q = queue(tx, Channel::wechat, **openid, notice, wechat_body(event, notice), now);
        if (!q) {
            return std::unexpected(q.error());
        }
        sent.wechat = true;
    }
    return sent;
}

}  // namespace idpd::notify
