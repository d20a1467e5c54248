#include "notify/wechat_outbox_sender.h"

#include <nlohmann/json.hpp>

namespace idpd::notify {

SendResult WechatOutboxSender::send(const OutboxMessage& message, std::chrono::sys_seconds) {
    auto body = nlohmann::json::parse(message.message.text, nullptr, false);
    if (!body.is_object() || !body.contains("event") || !body["event"].is_string() ||
        !body.contains("data") || !body["data"].is_object()) {
        return std::unexpected(SendError{true, "wechat outbox body is not a template notice"});
    }
    auto event = parse_event(body["event"].get<std::string>());
    if (!event) {
        return std::unexpected(SendError{true, "wechat outbox body names an unknown event"});
    }
    TemplateMessage m;
    m.openid = message.message.to;
    m.template_id = templates_.of(*event);
    if (m.template_id.empty()) {
        return std::unexpected(SendError{
            true, "no [notify] wechat_template_" + std::string(event_name(*event)) + " set"});
    }
    for (const auto& [name, value] : body["data"].items()) {
        if (value.is_string()) {
            m.data.emplace_back(name, value.get<std::string>());
        }
    }
    if (body.contains("url") && body["url"].is_string()) {
        m.url = body["url"].get<std::string>();
    }
    return sender_->send(m);
}

}  // namespace idpd::notify
