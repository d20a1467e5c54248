#include "notify/preferences.h"

#include "store/dialect.h"

namespace idpd::notify {

std::string_view event_name(NoticeEvent event) {
    switch (event) {
        case NoticeEvent::security:
            return "security";
        case NoticeEvent::billing:
            return "billing";
        case NoticeEvent::org_invitation:
            return "org_invitation";
        case NoticeEvent::product:
            return "product";
    }
    return "security";
}

std::string_view channel_name(NoticeChannel channel) {
    switch (channel) {
        case NoticeChannel::email:
            return "email";
        case NoticeChannel::sms:
            return "sms";
        case NoticeChannel::wechat:
            return "wechat";
    }
    return "email";
}

std::optional<NoticeEvent> parse_event(std::string_view name) {
    for (auto event : notice_events) {
        if (event_name(event) == name) {
            return event;
        }
    }
    return std::nullopt;
}

std::optional<NoticeChannel> parse_channel(std::string_view name) {
    for (auto channel : notice_channels) {
        if (channel_name(channel) == name) {
            return channel;
        }
    }
    return std::nullopt;
}

store::Result<std::vector<Preference>> preferences(store::Database& db, std::int64_t user_id) {
    auto rows =
        db.query("SELECT event, channel, enabled FROM notification_preferences WHERE user_id = ?",
                 {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<Preference> out;
    for (auto event : notice_events) {
        for (auto channel : notice_channels) {
            Preference p{event, channel, default_enabled(event, channel),
                         is_locked(event, channel)};
            for (const auto& row : *rows) {
                if (row.text(0) == event_name(event) && row.text(1) == channel_name(channel)) {
                    p.enabled = row.integer(2) != 0;
                }
            }
            p.enabled = p.enabled || p.locked;
            out.push_back(p);
        }
    }
    return out;
}

store::Result<void> set_preference(store::Database& db, std::int64_t user_id, NoticeEvent event,
                                   NoticeChannel channel, bool enabled,
                                   std::chrono::sys_seconds now) {
    if (is_locked(event, channel) && !enabled) {
        return store::fail(store::Error::Kind::invalid,
                           "security notices by email cannot be switched off");
    }
    const std::string sql =
        "INSERT INTO notification_preferences (user_id, event, channel, enabled, updated_at) "
        "VALUES (?, ?, ?, ?, ?) " +
        store::upsert_clause(db.dialect(), "user_id, event, channel") +
        " enabled = ?, updated_at = ?";
    const std::int64_t on = enabled ? 1 : 0;
    const std::int64_t at = now.time_since_epoch().count();
    auto stored = db.execute(sql, {user_id, std::string(event_name(event)),
                                   std::string(channel_name(channel)), on, at, on, at});
    if (!stored) {
        return std::unexpected(stored.error());
    }
    return {};
}

store::Result<bool> should_notify(store::Database& db, std::int64_t user_id, NoticeEvent event,
                                  NoticeChannel channel) {
    if (is_locked(event, channel)) {
        return true;
    }
    auto rows = db.query(
        "SELECT enabled FROM notification_preferences WHERE user_id = ? AND event = ? AND "
        "channel = ?",
        {user_id, std::string(event_name(event)), std::string(channel_name(channel))});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return default_enabled(event, channel);
    }
    return rows->front().integer(0) != 0;
}

}  // namespace idpd::notify
