#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "billing/error.h"
#include "billing/order_store.h"
#include "store/database.h"

namespace idpd::billing {

// A payment channel that shows the payer a QR code (Alipay, WeChat Pay): it creates the payment
// for one of our orders at the channel, reads the channel's notice that the order was paid, and
// says how the notice is answered. Bank transfers have no adapter: an operator confirms them
// (billing/payments.h confirm_transfer).

// A notice as it reached us: its headers (names in any case) and its raw body.
struct Notice {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const;
};

// How a notice turned out, for the answer the channel expects.
enum class NoticeOutcome {
    handled,  // credited now or before (a replay): the channel must stop resending
    refused,  // forged, unreadable, an unknown order or another amount: nothing credited
    retry,    // our database failed: the channel should send it again later
};

struct NoticeReply {
    int status = 200;
    std::string content_type;
    std::string body;
};

class PaymentChannel {
public:
    virtual ~PaymentChannel() = default;

    virtual Channel channel() const = 0;

    // Creates the payment of `order` at the channel and returns the text of its QR code (a URL
    // the payer's app opens). Asking again for the same order is allowed: the channel answers
    // with the same payment. Errors: unavailable — the channel did not answer, refused, or its
    // answer did not verify (the message says which, for the log only).
    virtual Result<std::string> create_payment(const Order& order,
                                               std::chrono::sys_seconds now) const = 0;

    // The payment a genuine notice reports. Errors: invalid — the notice does not verify or is
    // not a payment; the message says why (for the audit log, never for the sender).
    virtual Result<Payment> verify_notice(const Notice& notice,
                                          std::chrono::sys_seconds now) const = 0;

    // The answer the channel expects for `outcome`.
    virtual NoticeReply reply(NoticeOutcome outcome, std::string_view reason) const = 0;
};

// Where a bank transfer goes: shown on a bank order's page, with the order number as the
// transfer's reference.
struct BankDetails {
    std::string bank_name;
    std::string account_name;
    std::string account_number;
};

// The configured channels; a channel without configuration is absent and is not offered.
struct Channels {
    std::shared_ptr<const PaymentChannel> alipay;
    std::shared_ptr<const PaymentChannel> wechatpay;
    std::optional<BankDetails> bank;

    const PaymentChannel* find(Channel channel) const;
    bool offers(Channel channel) const;
    std::vector<Channel> offered() const;
};

// The QR code text of `order`: the one kept on the order, else asked of its channel now and
// kept (OrderStore::set_payment_code). Empty when there is none to show: a bank transfer, an
// order no longer pending, a channel that is not configured or failed (logged; the next view
// asks again).
std::string payment_code(store::Database& db, const Channels& channels, const Order& order,
                         std::chrono::sys_seconds now);

}  // namespace idpd::billing
