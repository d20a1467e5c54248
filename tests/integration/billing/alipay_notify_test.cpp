// Alipay's payment notice at POST /billing/notify/alipay, signed in-process (fakes/alipay_fake.h)
// for the cases the loopback fake does not produce (topup_test.cpp covers the rest end to end):
// a genuine notice credits the order once and is answered "success" (also 10 replays in
// parallel); a forged signature, a tampered value, another app_id, a non-payment status and an
// amount that differs from the order are answered "fail", credit nothing and are audited.
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "billing/account_store.h"
#include "billing/order_store.h"
#include "fakes/alipay_fake.h"
#include "integration/app_fixture.h"

namespace idpd::testing_support {
namespace {

using namespace std::chrono_literals;

class AlipayNotifyTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        std::ofstream(dir_ / "alipay.pem") << alipay_.public_key_pem();
        config_.billing.alipay_app_id = "2021000000000001";
        config_.billing.alipay_public_key_file = dir_ / "alipay.pem";
        std::ofstream(dir_ / "app.pem") << fakes::AlipayFake::app_private_key_pem();
        config_.billing.alipay_app_private_key_file = dir_ / "app.pem";
        start_app();
        const auto now =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        account_ = billing::AccountStore(*db_)
                       .open({billing::OwnerKind::org, 3}, "free-2x", now)
                       .value()
                       .id;
        order_no_ = billing::OrderStore(*db_)
                        .create({account_, 8'888, billing::Channel::alipay, ""}, now, 24h)
                        .value()
                        .order_no;
    }

    http::HttpResponse post_notice(const std::string& body) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/billing/notify/alipay";
        req.peer_ip = "110.75.1.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        req.body = body;
        return app_->handle(req);
    }

    std::int64_t balance() { return billing::AccountStore(*db_).get(account_).value().balance_fen; }

    std::size_t refusals() {
        return audit::tail(*db_, {100, std::nullopt, "billing.payment_refused"}).value().size();
    }

    fakes::AlipayFake alipay_;
    std::int64_t account_ = 0;
    std::string order_no_;
};

TEST_F(AlipayNotifyTest, AGenuineNoticeCreditsOnceEvenRepliedTenTimesInParallel) {
    const auto body =
        alipay_.notice_body(fakes::AlipayFake::paid("2021000000000001", order_no_, "88.88"));
    std::atomic<int> success{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&] {
            auto r = post_notice(body);
            if (r.status == 200 && r.body == "success") {
                ++success;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(success.load(), 10);  // every copy is acknowledged, so Alipay stops resending
    EXPECT_EQ(balance(), 8'888);
    auto order = billing::OrderStore(*db_).find(order_no_).value();
    EXPECT_EQ(order.status, "paid");
    EXPECT_EQ(order.channel_txn, std::optional<std::string>("2026112222001419271412345678"));
    EXPECT_EQ(refusals(), 0u);
}

TEST_F(AlipayNotifyTest, ForgedOrMismatchedNoticesAreRefusedAndAudited) {
    auto params = fakes::AlipayFake::paid("2021000000000001", order_no_, "88.88");
    // Signed by someone else.
    fakes::AlipayFake impostor;
    auto forged = post_notice(impostor.notice_body(params));
    EXPECT_EQ(forged.body, "fail");
    // A genuine signature, then one value changed.
    auto tampered = alipay_.notice_body(params);
    tampered.replace(tampered.find("total_amount=88.88"), 18, "total_amount=88.89");
    EXPECT_EQ(post_notice(tampered).body, "fail");
    // Genuine, but for another amount than the order's.
    EXPECT_EQ(post_notice(alipay_.notice_body(
                              fakes::AlipayFake::paid("2021000000000001", order_no_, "0.01")))
                  .body,
              "fail");
    // Genuine, for another merchant app.
    EXPECT_EQ(post_notice(alipay_.notice_body(
                              fakes::AlipayFake::paid("2021000000000999", order_no_, "88.88")))
                  .body,
              "fail");
    // Not a payment.
    auto waiting = params;
    waiting["trade_status"] = "WAIT_BUYER_PAY";
    EXPECT_EQ(post_notice(alipay_.notice_body(waiting)).body, "fail");
    EXPECT_EQ(post_notice("").body, "fail");
    EXPECT_EQ(balance(), 0);
    EXPECT_EQ(billing::OrderStore(*db_).find(order_no_).value().status, "pending");
    EXPECT_EQ(refusals(), 6u);
}

TEST_F(AppTest, AlipayNoticesAreNotServedWithoutAnAppId) {
    http::HttpRequest req;
    req.method = http::Method::post;
    req.path = "/billing/notify/alipay";
    req.peer_ip = "127.0.0.1";
    EXPECT_EQ(app_->handle(req).status, 404);
}

}  // namespace
}  // namespace idpd::testing_support
