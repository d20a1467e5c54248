#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "billing/order_store.h"

namespace idpd::billing {

// Who reported a payment, for the audit log.
struct PaymentSource {
    std::string via;  // "alipay notify", "wechatpay notify", "operator cli", "admin api"
    std::string ip;   // empty for the CLI
};

// Settles the order (OrderStore::settle) and writes the outcome to the audit log: a credited
// order as billing.payment_confirmed, a refused one (unknown order, another channel, an amount
// that differs) as billing.payment_refused with the reason. A replay is neither: it changed
// nothing and answers as the first did.
// `on_paid`: as OrderStore::settle's (the receipt).
Result<Settlement> record_payment(store::Database& db, const Payment& payment,
                                  const PaymentSource& source, std::chrono::sys_seconds now,
                                  const PaidHook& on_paid = {});

// An operator's confirmation that the bank transfer for `order_no` arrived, with the amount the
// bank statement shows (typed, "12.34") and the bank's reference. Refused (and audited) when the
// order is not a bank order or the amount differs. Errors as record_payment(), plus invalid for
// an unreadable amount or an empty reference.
Result<Settlement> confirm_transfer(store::Database& db, std::string_view order_no,
                                    std::string_view amount, std::string_view reference,
                                    const PaymentSource& source, std::chrono::sys_seconds now);

// Logs a payment notice refused before it named a trustworthy order (a bad signature, an
// unreadable body). `order_no` is whatever the notice claimed, possibly empty.
void record_refusal(store::Database& db, Channel channel, std::string_view order_no,
                    std::string_view reason, const PaymentSource& source,
                    std::chrono::sys_seconds now);

}  // namespace idpd::billing
