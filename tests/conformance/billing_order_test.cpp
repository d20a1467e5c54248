// billing top-up orders on every backend: an Idempotency-Key returns the first order, a payment
// credits exactly once (also 10 notices in parallel), amounts and channels that differ from the
// order are refused and audited, unpaid orders expire.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "billing/account_store.h"
#include "billing/order_store.h"
#include "billing/payments.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using billing::Channel;
using billing::Error;
using billing::OrderStore;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};
const billing::PaymentSource notify{"alipay notify", "127.0.0.1"};

std::int64_t account_of(store::Database& db, std::int64_t owner) {
    return billing::AccountStore(db)
        .open({billing::OwnerKind::user, owner}, "free-2x", t0)
        .value()
        .id;
}

std::int64_t balance(store::Database& db, std::int64_t account) {
    return billing::AccountStore(db).get(account).value().balance_fen;
}

TEST_P(StoreTest, AnIdempotencyKeyReturnsTheFirstOrder) {
    OrderStore orders(db());
    const auto account = account_of(db(), 1);
    auto first = orders.create({account, 1234, Channel::alipay, "key-1"}, t0, 24h);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->status, "pending");
    EXPECT_EQ(first->order_no.size(), 21u);
    EXPECT_EQ(first->expires_at, t0 + 24h);
    auto again = orders.create({account, 1234, Channel::alipay, "key-1"}, t0 + 1s, 24h);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->order_no, first->order_no);
    EXPECT_EQ(orders.create({account, 999, Channel::alipay, "key-1"}, t0, 24h).error().kind,
              Error::Kind::conflict);
    // Without a key every request is a new order.
    auto a = orders.create({account, 500, Channel::bank, ""}, t0, 24h);
    auto b = orders.create({account, 500, Channel::bank, ""}, t0, 24h);
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->order_no, b->order_no);
    EXPECT_EQ(orders.list(account, 10).value().size(), 3u);
    EXPECT_EQ(orders.create({account, 0, Channel::bank, ""}, t0, 24h).error().kind,
              Error::Kind::invalid);
    EXPECT_EQ(orders.create({account + 9, 100, Channel::bank, ""}, t0, 24h).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, TenParallelNoticesOfOnePaymentCreditOnce) {
    OrderStore orders(db());
    const auto account = account_of(db(), 1);
    const auto order = orders.create({account, 5000, Channel::alipay, ""}, t0, 24h).value();
    std::atomic<int> credited{0};
    std::atomic<int> replays{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&] {
            auto r = billing::record_payment(
                db(), {order.order_no, Channel::alipay, 5000, "2026112222001"}, notify, t0 + 1min);
            if (!r) {
                ADD_FAILURE() << r.error().message;
            } else if (r->replayed) {
                ++replays;
            } else {
                ++credited;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(credited.load(), 1);
    EXPECT_EQ(replays.load(), 9);
    EXPECT_EQ(balance(db(), account), 5000);
    EXPECT_EQ(billing::ledger_sum(db(), account).value(), 5000);
    auto paid = orders.find(order.order_no).value();
    EXPECT_EQ(paid.status, "paid");
    EXPECT_EQ(paid.channel_txn, std::optional<std::string>("2026112222001"));
    auto events = audit::tail(db(), {100, std::nullopt, "billing.payment_confirmed"}).value();
    EXPECT_EQ(events.size(), 1u);
}

TEST_P(StoreTest, PaymentsThatDifferFromTheOrderAreRefusedAndAudited) {
    OrderStore orders(db());
    const auto account = account_of(db(), 1);
    const auto order = orders.create({account, 5000, Channel::alipay, ""}, t0, 24h).value();
    auto less =
        billing::record_payment(db(), {order.order_no, Channel::alipay, 4999, "x"}, notify, t0);
    ASSERT_FALSE(less);
    EXPECT_EQ(less.error().kind, Error::Kind::invalid);
    EXPECT_EQ(less.error().message, "the paid amount differs from the order's");
    auto other_channel =
        billing::record_payment(db(), {order.order_no, Channel::wechatpay, 5000, "x"}, notify, t0);
    ASSERT_FALSE(other_channel);
    auto unknown = billing::record_payment(
        db(), {"T00000000000000000000", Channel::alipay, 5000, "x"}, notify, t0);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, Error::Kind::not_found);
    billing::record_refusal(db(), Channel::alipay, order.order_no, "bad signature", notify, t0);
    EXPECT_EQ(balance(db(), account), 0);
    EXPECT_EQ(orders.find(order.order_no).value().status, "pending");
    auto events = audit::tail(db(), {100, std::nullopt, "billing.payment_refused"}).value();
    ASSERT_EQ(events.size(), 4u);
    EXPECT_NE(events[0].detail.find("differs"), std::string::npos);
    EXPECT_EQ(events[0].ip, "127.0.0.1");
}

TEST_P(StoreTest, UnpaidOrdersExpireAfterTheirDayAndALatePaymentStillCredits) {
    OrderStore orders(db());
    const auto account = account_of(db(), 1);
    const auto order = orders.create({account, 300, Channel::bank, ""}, t0, 24h).value();
    EXPECT_EQ(orders.expire_due(t0 + 24h - 1s).value(), 0u);
    EXPECT_EQ(orders.expire_due(t0 + 24h).value(), 1u);
    EXPECT_EQ(orders.find(order.order_no).value().status, "expired");
    EXPECT_EQ(orders.expire_due(t0 + 48h).value(), 0u);
    auto late = billing::record_payment(db(), {order.order_no, Channel::bank, 300, "wire-1"},
                                        {"operator cli", ""}, t0 + 30h);
    ASSERT_TRUE(late) << late.error().message;
    EXPECT_EQ(balance(db(), account), 300);
}

TEST_P(StoreTest, APendingOrderKeepsItsPaymentCodeAndAPaidOneIsLeftAlone) {
    OrderStore orders(db());
    const auto account = account_of(db(), 7);
    auto order = orders.create({account, 500, Channel::wechatpay, ""}, t0, 24h).value();
    EXPECT_FALSE(order.payment_code);
    const std::string code = "weixin://wxpay/bizpayurl?pr=" + std::string(200, 'x');
    ASSERT_TRUE(orders.set_payment_code(order.order_no, code));
    EXPECT_EQ(orders.find(order.order_no).value().payment_code, code);
    EXPECT_EQ(orders.set_payment_code(order.order_no, "").error().kind, Error::Kind::invalid);
    EXPECT_EQ(orders.set_payment_code(order.order_no, std::string(1025, 'x')).error().kind,
              Error::Kind::invalid);
    ASSERT_TRUE(billing::record_payment(db(), {order.order_no, Channel::wechatpay, 500, "4200"},
                                        notify, t0));
    ASSERT_TRUE(orders.set_payment_code(order.order_no, "weixin://another"));
    EXPECT_EQ(orders.find(order.order_no).value().payment_code, code);
}

}  // namespace
}  // namespace idpd::conformance
