#include "notify/sms_gateway_sender.h"

#include <nlohmann/json.hpp>

namespace idpd::notify {

SendResult SmsGatewaySender::send(const OutboxMessage& message, std::chrono::sys_seconds) {
    const nlohmann::json body{{"to", message.message.to}, {"text", message.message.text}};
    outbound::Headers headers;
    if (!token_.empty()) {
        headers.emplace_back("Authorization", "Bearer " + token_);
    }
    auto response = client_.post_json("", body.dump(), headers);
    if (!response) {
        return std::unexpected(SendError{
            false, std::string(kind_name(response.error().kind)) + ": " + response.error().detail});
    }
    if (response->status >= 200 && response->status < 300) {
        return {};
    }
    // Only printable ASCII of the answer goes into the log and the database.
    std::string excerpt = response->body.substr(0, 200);
    for (char& c : excerpt) {
        if (c < 0x20 || c > 0x7e) {
            c = '?';
        }
    }
    bool permanent = response->status == 400 || response->status == 422;
    return std::unexpected(
        SendError{permanent,
                  "the SMS gateway answered " + std::to_string(response->status) + ": " + excerpt});
}

}  // namespace idpd::notify
