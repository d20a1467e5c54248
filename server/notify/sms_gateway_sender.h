#pragma once

#include <string>

#include "notify/sender.h"
#include "outbound/http_client.h"

namespace idpd::notify {

// Config: [notify] sms_gateway_url and sms_gateway_token.
struct SmsGatewayOptions {
    std::string url;    // where the JSON is POSTed, e.g. "https://sms.example.com/v1/send"
    std::string token;  // empty: no Authorization header
    outbound::ClientOptions client;
};

// Sends an SMS through an HTTP gateway: one POST of {"to": "+86…", "text": "…"} as JSON, with
// "Authorization: Bearer <token>" when a token is set. Any 2xx means the gateway took it.
// Provider-specific request signing is not done here.
class SmsGatewaySender final : public Sender {
public:
    explicit SmsGatewaySender(SmsGatewayOptions options)
        : token_(std::move(options.token)), client_(options.url, options.client) {}

    // Errors: permanent when the gateway answered 400 or 422 (it refuses this message);
    // otherwise transient (no connection, timeout, 401/403, 429, 5xx, …).
    SendResult send(const OutboxMessage& message, std::chrono::sys_seconds now) override;

private:
    std::string token_;
    outbound::HttpClient client_;
};

}  // namespace idpd::notify
