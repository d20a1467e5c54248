#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace idpd::notify {

// What a notice is about. security: sign-ins, password, phone, email, key changes; billing:
// payments, quota; org_invitation: an organization invites you; product: news.
enum class NoticeEvent { security, billing, org_invitation, product };
// How it reaches the person: email, SMS to the bound phone, a WeChat template message.
enum class NoticeChannel { email, sms, wechat };

inline constexpr std::array<NoticeEvent, 4> notice_events{
    NoticeEvent::security, NoticeEvent::billing, NoticeEvent::org_invitation, NoticeEvent::product};
inline constexpr std::array<NoticeChannel, 3> notice_channels{
    NoticeChannel::email, NoticeChannel::sms, NoticeChannel::wechat};

std::string_view event_name(NoticeEvent event);
std::string_view channel_name(NoticeChannel channel);
std::optional<NoticeEvent> parse_event(std::string_view name);
std::optional<NoticeChannel> parse_channel(std::string_view name);

// Security notices by email cannot be switched off: someone who took over the account must
// not be able to silence the owner.
constexpr bool is_locked(NoticeEvent event, NoticeChannel channel) {
    return event == NoticeEvent::security && channel == NoticeChannel::email;
}

// Without a stored choice: security on every channel, billing and invitations by email,
// product news nowhere.
constexpr bool default_enabled(NoticeEvent event, NoticeChannel channel) {
    switch (event) {
        case NoticeEvent::security:
            return true;
        case NoticeEvent::billing:
        case NoticeEvent::org_invitation:
            return channel == NoticeChannel::email;
        case NoticeEvent::product:
            return false;
    }
    return false;
}

struct Preference {
    NoticeEvent event = NoticeEvent::security;
    NoticeChannel channel = NoticeChannel::email;
    bool enabled = false;
    bool locked = false;
};

// Every (event, channel) of `user_id`, in notice_events × notice_channels order.
store::Result<std::vector<Preference>> preferences(store::Database& db, std::int64_t user_id);

// Stores one choice. Errors: invalid when it would switch a locked pair off.
store::Result<void> set_preference(store::Database& db, std::int64_t user_id, NoticeEvent event,
                                   NoticeChannel channel, bool enabled,
                                   std::chrono::sys_seconds now);

// Whether a notice of `event` should go to `user_id` by `channel` (table
// notification_preferences, schema 0033). Whether the channel can reach the person at all (a
// bound phone, a WeChat binding) is the sender's question. Errors: the database's.
store::Result<bool> should_notify(store::Database& db, std::int64_t user_id, NoticeEvent event,
                                  NoticeChannel channel);

}  // namespace idpd::notify
