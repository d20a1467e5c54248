#include "web/payment_notify.h"

#include "billing/payments.h"

namespace idpd::web {
namespace {

// The order a refused notice claimed, for the audit log: a form's out_trade_no (Alipay); a
// WeChat Pay notice names it only inside its encrypted resource, so nothing.
std::string claimed_order(const http::HttpRequest& req, billing::Channel channel) {
    if (channel != billing::Channel::alipay) {
        return {};
    }
    for (const auto& [k, v] : http::parse_urlencoded(req.body)) {
        if (k == "out_trade_no") {
            return v.substr(0, 32);
        }
    }
    return {};
}

std::string via(billing::Channel channel) {
    return std::string(billing::channel_name(channel)) + " notify";
}

}  // namespace

void PaymentNotify::add_routes(http::Router& router) {
    for (auto c : {billing::Channel::alipay, billing::Channel::wechatpay}) {
        if (const auto* channel = channels_.find(c)) {
            router.add(
                http::Method::post, "/billing/notify/" + std::string(billing::channel_name(c)),
                [this, channel](const http::HttpRequest& req) { return notice(req, *channel); });
        }
    }
}

http::HttpResponse PaymentNotify::notice(const http::HttpRequest& req,
                                         const billing::PaymentChannel& channel) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_());
    const billing::PaymentSource source{via(channel.channel()), req.peer_ip};
    billing::Notice notice{{}, req.body};
    for (const auto& name :
         {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"}) {
        if (auto value = req.headers.get(name)) {
            notice.headers.emplace_back(name, *value);
        }
    }
    auto payment = channel.verify_notice(notice, now);
    billing::NoticeReply reply;
    if (!payment) {
        billing::record_refusal(db_, channel.channel(), claimed_order(req, channel.channel()),
                                payment.error().message, source, now);
        reply = channel.reply(billing::NoticeOutcome::refused, payment.error().message);
    } else if (auto settled = billing::record_payment(db_, *payment, source, now, receipt_);
               settled) {
        reply = channel.reply(billing::NoticeOutcome::handled, "");
    } else {
        reply = channel.reply(settled.error().kind == billing::Error::Kind::unavailable
                                  ? billing::NoticeOutcome::retry
                                  : billing::NoticeOutcome::refused,
                              settled.error().message);
    }
    http::HttpResponse response;
    response.status = reply.status;
    if (!reply.content_type.empty()) {
        response.headers.set("Content-Type", reply.content_type);
    }
    response.body = std::move(reply.body);
    return response;
}

}  // namespace idpd::web
