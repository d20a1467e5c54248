#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/error.h"
#include "billing/ledger.h"
#include "store/database.h"

namespace idpd::billing {

// How an order is paid: "alipay", "wechatpay", "bank" (a transfer an operator confirms).
enum class Channel { alipay, wechatpay, bank };

std::string_view channel_name(Channel channel);
std::optional<Channel> parse_channel(std::string_view name);

struct Order {
    std::int64_t id = 0;
    std::string order_no;  // "T" + 20 random digits: our out_trade_no at the channel
    std::int64_t account_id = 0;
    std::int64_t amount_fen = 0;
    Channel channel = Channel::bank;
    std::string status;  // "pending", "paid", "expired"
    std::chrono::sys_seconds created_at{};
    std::chrono::sys_seconds expires_at{};
    std::optional<std::chrono::sys_seconds> paid_at;
    std::optional<std::string> channel_txn;  // the channel's transaction id
    // The QR code text the channel answered for this order (billing/channels/channel.h).
    std::optional<std::string> payment_code;
    bool replayed = false;  // create(): an earlier request's order, returned again
};

struct NewOrder {
    std::int64_t account_id = 0;
    std::int64_t amount_fen = 0;
    Channel channel = Channel::bank;
    std::string idempotency_key;  // the request's Idempotency-Key; empty: none
};

// A payment as its channel reports it (a verified notice) or an operator confirms it.
struct Payment {
    std::string order_no;
    Channel channel = Channel::bank;
    std::int64_t amount_fen = 0;
    std::string channel_txn;
};

// Runs inside the transaction that marks `order` paid (OrderStore::settle).
using PaidHook = std::function<Result<void>(store::Database& tx, const Order& order)>;

struct Settlement {
    Order order;
    Entry entry;            // the top-up row
    bool replayed = false;  // the order was already paid: nothing credited now
};

class OrderStore {
public:
    explicit OrderStore(store::Database& db) : db_(db) {}

    // A pending order expiring at now + `ttl`. The same Idempotency-Key on the same account
    // returns the first order (replayed = true) when amount and channel agree, else conflict.
    // Errors: invalid (amount, key), not_found (account), conflict, unavailable.
    Result<Order> create(const NewOrder& order, std::chrono::sys_seconds now,
                         std::chrono::seconds ttl);

    // Errors: not_found.
    Result<Order> find(std::string_view order_no);
    // The account's orders, newest first.
    Result<std::vector<Order>> list(std::int64_t account_id, std::size_t limit);

    // Marks the order paid and credits its amount, in one transaction, exactly once: a second
    // notice of the same order is replayed = true and credits nothing. A payment of an expired
    // order still credits (the payer's money arrived). Errors: not_found (no such order),
    // invalid (another channel, or an amount that differs from the order's), unavailable.
    // `on_paid`, when given, runs inside the settling transaction for an order paid now (not
    // for a replay): what must commit with the payment, such as the receipt notice. Its error
    // rolls the payment back.
    Result<Settlement> settle(const Payment& payment, std::chrono::sys_seconds now,
                              const PaidHook& on_paid = {});

    // Keeps the channel's QR code text for a pending order (a paid or expired one is left as
    // is). Errors: invalid (empty or longer than 1024), unavailable.
    Result<void> set_payment_code(std::string_view order_no, std::string_view code);

    // Pending orders past expires_at become expired; answers how many.
    Result<std::uint64_t> expire_due(std::chrono::sys_seconds now);

private:
    store::Database& db_;
};

}  // namespace idpd::billing
