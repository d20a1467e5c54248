#pragma once

#include <optional>

#include "billing/channels/alipay.h"
#include "http/router.h"
#include "store/database.h"

namespace idpd::web {

// The payment channels' notices of a paid order:
//   POST /billing/notify/alipay   Alipay's form notice (billing/channels/alipay.h). Answers the
//        text "success" once the order is credited (or was already: a replay credits nothing),
//        "fail" for a notice that does not verify, names an unknown order or another amount;
//        each refusal is in the audit log (billing.payment_refused).
// Served only while the channel is configured.
class PaymentNotify {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    PaymentNotify(store::Database& db, std::optional<billing::alipay::NotifyConfig> alipay,
                  Clock clock)
        : db_(db), alipay_(std::move(alipay)), clock_(std::move(clock)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse alipay(const http::HttpRequest& req);

    store::Database& db_;
    std::optional<billing::alipay::NotifyConfig> alipay_;
    Clock clock_;
};

}  // namespace idpd::web
