#pragma once

#include <chrono>
#include <functional>

#include "billing/channels/channel.h"
#include "billing/order_store.h"
#include "http/router.h"
#include "store/database.h"

namespace idpd::web {

// The payment channels' notices of a paid order (billing/channels/channel.h):
//   POST /billing/notify/alipay     Alipay's form notice, answered "success" once handled
//   POST /billing/notify/wechatpay  WeChat Pay v3's signed, encrypted JSON notice, answered 204
// A genuine notice credits its order once (a replay credits nothing and answers as the first
// did); one that does not verify, names an unknown order or another amount is refused in the
// channel's way and logged in the audit log (billing.payment_refused). A database failure is
// answered so that the channel sends the notice again. Served only while the channel is
// configured.
class PaymentNotify {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    PaymentNotify(store::Database& db, billing::Channels channels, Clock clock)
        : db_(db), channels_(std::move(channels)), clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

    // What commits with every order paid through a notice (the receipt, web/notices.h).
    void set_receipt(billing::PaidHook receipt) { receipt_ = std::move(receipt); }

private:
    http::HttpResponse notice(const http::HttpRequest& req, const billing::PaymentChannel& channel);

    store::Database& db_;
    billing::Channels channels_;
    Clock clock_;
    billing::PaidHook receipt_;
};

}  // namespace idpd::web
