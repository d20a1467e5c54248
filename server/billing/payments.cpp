#include "billing/payments.h"

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "billing/amount.h"

namespace idpd::billing {
namespace {

void audit(store::Database& db, audit::EventType type, nlohmann::json detail,
           const PaymentSource& source, std::chrono::sys_seconds now) {
    detail["via"] = source.via;
    auto logged =
        audit::record(db, audit::Event{type, std::nullopt, "", source.ip, "", detail}, now);
    if (!logged) {
        spdlog::error("billing: audit of a payment failed: {}", logged.error().message);
    }
}

}  // namespace

Result<Settlement> record_payment(store::Database& db, const Payment& payment,
                                  const PaymentSource& source, std::chrono::sys_seconds now,
                                  const PaidHook& on_paid) {
    auto settled = OrderStore(db).settle(payment, now, on_paid);
    nlohmann::json detail{{"order_no", payment.order_no},
                          {"channel", channel_name(payment.channel)},
                          {"amount", format_yuan(payment.amount_fen)},
                          {"channel_txn", payment.channel_txn}};
    if (!settled) {
        if (settled.error().kind != Error::Kind::unavailable) {
            spdlog::warn("billing: payment of order {} via {} refused: {}", payment.order_no,
                         source.via, settled.error().message);
            detail["reason"] = settled.error().message;
            audit(db, audit::EventType::billing_payment_refused, detail, source, now);
        }
        return settled;
    }
    if (!settled->replayed) {
        detail["account_id"] = settled->order.account_id;
        audit(db, audit::EventType::billing_payment_confirmed, detail, source, now);
    }
    return settled;
}

Result<Settlement> confirm_transfer(store::Database& db, std::string_view order_no,
                                    std::string_view amount, std::string_view reference,
                                    const PaymentSource& source, std::chrono::sys_seconds now) {
    auto fen = parse_yuan(amount);
    if (!fen) {
        return std::unexpected(fen.error());
    }
    if (reference.empty() || reference.size() > 64) {
        return fail(Error::Kind::invalid, "give the bank's reference (1 to 64 characters)");
    }
    return record_payment(
        db, Payment{std::string(order_no), Channel::bank, *fen, std::string(reference)}, source,
        now);
}

void record_refusal(store::Database& db, Channel channel, std::string_view order_no,
                    std::string_view reason, const PaymentSource& source,
                    std::chrono::sys_seconds now) {
    spdlog::warn("billing: {} payment notice refused: {}", channel_name(channel), reason);
    audit(db, audit::EventType::billing_payment_refused,
          {{"order_no", order_no}, {"channel", channel_name(channel)}, {"reason", reason}}, source,
          now);
}

}  // namespace idpd::billing
