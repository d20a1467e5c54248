#include "web/payment_notify.h"

#include "billing/payments.h"

namespace idpd::web {

void PaymentNotify::add_routes(http::Router& router) {
    if (alipay_) {
        router.add(http::Method::post, "/billing/notify/alipay",
                   [this](const http::HttpRequest& req) { return alipay(req); });
    }
}

http::HttpResponse PaymentNotify::alipay(const http::HttpRequest& req) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const billing::PaymentSource source{"alipay notify", req.peer_ip};
    const auto params = http::parse_urlencoded(req.body);
    auto payment = billing::alipay::verify_notify(*alipay_, params);
    if (!payment) {
        std::string claimed;
        for (const auto& [k, v] : params) {
            if (k == "out_trade_no") {
                claimed = v.substr(0, 32);
            }
        }
        billing::record_refusal(db_, billing::Channel::alipay, claimed, payment.error().message,
                                source, now);
        return http::HttpResponse::text(200, "fail");
    }
    auto settled = billing::record_payment(db_, *payment, source, now);
    // Only "success" stops Alipay's retries; a database failure must not, so it is retried.
    return http::HttpResponse::text(
        settled ? 200 : (settled.error().kind == billing::Error::Kind::unavailable ? 503 : 200),
        settled ? "success" : "fail");
}

}  // namespace idpd::web
