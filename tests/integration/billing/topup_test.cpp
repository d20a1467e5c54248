// Top-up through the loopback fakes of Alipay and WeChat Pay (tests/fakes/payment_fakes.py): the
// top-up page creates a pending order whose page shows the channel's QR code; the channel's
// signed notice credits it exactly once (replays, also 10 in parallel); forged, re-keyed, stale,
// mismatched or unknown notices are refused and audited; an answer that does not verify shows
// no QR code; bad amounts are refused in the page's language; another account's order is 404.
#include <atomic>
#include <thread>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "audit/audit_log.h"
#include "billing/account_store.h"
#include "billing/order_store.h"
#include "integration/app_fixture.h"
#include "integration/billing/payment_fakes.h"
#include "integration/browser.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;
using testing::Not;

class TopupTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        fakes_ = std::make_unique<PaymentFakes>(dir_ / "payment-keys");
        ASSERT_TRUE(fakes_->started()) << fakes_->error_output();
        fakes_->configure(config_);
        start_app();
    }

    void TearDown() override {
        fakes_.reset();
        AppTest::TearDown();
    }

    Browser signed_up(const std::string& name) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", "correct horse battery"},
                           {"confirm", "correct horse battery"},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    // Creates an order on the top-up page; its order number (empty when refused).
    std::string top_up(Browser& b, const std::string& amount, const std::string& channel) {
        auto r = b.submit("/account/billing/topup", "/account/billing/topup",
                          {{"amount", amount}, {"channel", channel}});
        const auto location = r.headers.get("Location").value_or("");
        const std::string prefix = "/account/billing/orders/";
        if (r.status != 303 || !location.starts_with(prefix)) {
            ADD_FAILURE() << r.status << " " << location << " " << r.body.substr(0, 400);
            return {};
        }
        return location.substr(prefix.size());
    }

    std::int64_t balance_of(const std::string& username) {
        const auto user = account::UserStore(*db_).find_by_username(username).value();
        auto account = billing::AccountStore(*db_).find({billing::OwnerKind::user, user.id});
        return account ? account->balance_fen : 0;
    }

    std::size_t refusals() {
        return audit::tail(*db_, {100, std::nullopt, "billing.payment_refused"}).value().size();
    }

    std::string status_of(const std::string& order_no) {
        return billing::OrderStore(*db_).find(order_no).value().status;
    }

    // Sends `req` 10 times at once; how many answers `ok` accepted.
    int in_parallel(const http::HttpRequest& req,
                    const std::function<bool(const http::HttpResponse&)>& ok) {
        std::atomic<int> accepted{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 10; ++i) {
            threads.emplace_back([&] {
                http::HttpRequest copy = req;
                if (ok(app_->handle(copy))) {
                    ++accepted;
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        return accepted.load();
    }

    std::unique_ptr<PaymentFakes> fakes_;
};

TEST_F(TopupTest, AlipayOrderShowsItsQrCodeAndItsNoticeCreditsExactlyOnce) {
    Browser b = signed_up("alice");
    const auto order_no = top_up(b, "12.34", "alipay");
    ASSERT_FALSE(order_no.empty());
    // The request reached the gateway signed, in Alipay's format.
    const auto sent = fakes_->control("alipay", "last_request")["body"];
    EXPECT_EQ(sent["method"], "alipay.trade.precreate");
    EXPECT_EQ(sent["sign_type"], "RSA2");
    EXPECT_EQ(sent["notify_url"], "http://localhost:8080/billing/notify/alipay");
    const auto biz = nlohmann::json::parse(sent["biz_content"].get<std::string>());
    EXPECT_EQ(biz["out_trade_no"], order_no);
    EXPECT_EQ(biz["total_amount"], "12.34");

    auto page = b.get("/account/billing/orders/" + order_no);
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("¥12.34"));
    EXPECT_THAT(page.body, HasSubstr("支付宝"));
    EXPECT_THAT(page.body, HasSubstr("待支付"));
    EXPECT_THAT(page.body, HasSubstr("https://qr.alipay.com/bax0"));
    auto qr = b.get("/account/billing/orders/" + order_no + "/qr.svg");
    EXPECT_EQ(qr.status, 200);
    EXPECT_THAT(qr.body, HasSubstr("<svg"));

    const auto notice = fakes_->notice("alipay", {{"out_trade_no", order_no}});
    EXPECT_EQ(in_parallel(notice,
                          [](const http::HttpResponse& r) {
                              return r.status == 200 && r.body == "success";
                          }),
              10);
    EXPECT_EQ(balance_of("alice"), 1'234);
    EXPECT_EQ(status_of(order_no), "paid");
    // A later replay is acknowledged too and credits nothing.
    http::HttpRequest again = notice;
    EXPECT_EQ(app_->handle(again).body, "success");
    EXPECT_EQ(balance_of("alice"), 1'234);
    EXPECT_EQ(refusals(), 0u);
    page = b.get("/account/billing/orders/" + order_no);
    EXPECT_THAT(page.body, HasSubstr("已支付"));
    EXPECT_THAT(page.body, Not(HasSubstr("order-qr")));
    EXPECT_THAT(b.get("/account/billing").body, HasSubstr("¥12.34"));
}

TEST_F(TopupTest, WechatPayOrderShowsItsCodeAndItsEncryptedNoticeCreditsExactlyOnce) {
    Browser b = signed_up("bobby");
    const auto order_no = top_up(b, "0.5", "wechatpay");
    ASSERT_FALSE(order_no.empty());
    const auto sent = fakes_->control("wechatpay", "last_request");
    EXPECT_EQ(sent["path"], "/wechatpay/v3/pay/transactions/native");
    const auto body = nlohmann::json::parse(sent["body"].get<std::string>());
    EXPECT_EQ(body["amount"]["total"], 50);
    EXPECT_EQ(body["amount"]["currency"], "CNY");
    EXPECT_EQ(body["notify_url"], "http://localhost:8080/billing/notify/wechatpay");
    EXPECT_THAT(sent["headers"]["Authorization"].get<std::string>(),
                HasSubstr("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\""));

    auto page = b.get("/account/billing/orders/" + order_no);
    EXPECT_THAT(page.body, HasSubstr("weixin://wxpay/bizpayurl?pr="));
    EXPECT_THAT(page.body, HasSubstr("微信支付"));

    const auto notice = fakes_->notice("wechatpay", {{"out_trade_no", order_no}});
    EXPECT_EQ(in_parallel(notice, [](const http::HttpResponse& r) { return r.status == 204; }), 10);
    EXPECT_EQ(balance_of("bobby"), 50);
    EXPECT_EQ(status_of(order_no), "paid");
    EXPECT_EQ(refusals(), 0u);
}

TEST_F(TopupTest, ForgedMismatchedAndUnknownAlipayNoticesAreRefusedAndAudited) {
    Browser b = signed_up("carol");
    const auto order_no = top_up(b, "88.88", "alipay");
    auto send = [&](nlohmann::json spec) {
        http::HttpRequest req = fakes_->notice("alipay", std::move(spec));
        return app_->handle(req);
    };
    EXPECT_EQ(send({{"out_trade_no", order_no}, {"forge", true}}).body, "fail");
    EXPECT_EQ(send({{"out_trade_no", order_no}, {"amount", "0.01"}}).body, "fail");
    EXPECT_EQ(send({{"out_trade_no", "T00000000000000000000"}, {"amount", "88.88"}}).body, "fail");
    EXPECT_EQ(balance_of("carol"), 0);
    EXPECT_EQ(status_of(order_no), "pending");
    EXPECT_EQ(refusals(), 3u);
}

TEST_F(TopupTest, ForgedReKeyedStaleMismatchedAndUnknownWechatPayNoticesAreRefused) {
    Browser b = signed_up("dave");
    const auto order_no = top_up(b, "20", "wechatpay");
    auto send = [&](nlohmann::json spec) {
        http::HttpRequest req = fakes_->notice("wechatpay", std::move(spec));
        return app_->handle(req);
    };
    for (const auto& spec :
         {nlohmann::json{{"out_trade_no", order_no}, {"forge", true}},
          nlohmann::json{{"out_trade_no", order_no}, {"wrong_key", true}},
          nlohmann::json{{"out_trade_no", order_no}, {"old_timestamp", true}},
          nlohmann::json{{"out_trade_no", order_no}, {"amount", 1}},
          nlohmann::json{{"out_trade_no", "T00000000000000000000"}, {"amount", 2000}}}) {
        auto r = send(spec);
        EXPECT_EQ(r.status, 400) << spec.dump();
        EXPECT_EQ(nlohmann::json::parse(r.body, nullptr, false).value("code", ""), "FAIL");
    }
    // Altered in transit: the signature no longer matches the body.
    http::HttpRequest altered = fakes_->notice("wechatpay", {{"out_trade_no", order_no}});
    altered.body.replace(altered.body.find("TRANSACTION.SUCCESS"), 19, "TRANSACTION.SUCCESs");
    EXPECT_EQ(app_->handle(altered).status, 400);
    EXPECT_EQ(balance_of("dave"), 0);
    EXPECT_EQ(status_of(order_no), "pending");
    EXPECT_EQ(refusals(), 6u);
}

TEST_F(TopupTest, AnAnswerThatDoesNotVerifyShowsNoQrCodeUntilTheChannelAnswersProperly) {
    Browser b = signed_up("erin");
    for (const std::string channel : {"alipay", "wechatpay"}) {
        fakes_->control(channel, "mode", {{"mode", "bad_signature"}});
        const auto order_no = top_up(b, "5", channel);
        auto page = b.get("/account/billing/orders/" + order_no);
        EXPECT_EQ(page.status, 200);
        EXPECT_THAT(page.body, HasSubstr("order-qr-failed")) << channel;
        EXPECT_THAT(page.body, Not(HasSubstr("id=\"order-qr\""))) << channel;
        EXPECT_EQ(b.get("/account/billing/orders/" + order_no + "/qr.svg").status, 404);
        EXPECT_FALSE(billing::OrderStore(*db_).find(order_no).value().payment_code);
        // Once the channel answers genuinely, the same page asks again and shows the code.
        fakes_->control(channel, "mode", {{"mode", "normal"}});
        page = b.get("/account/billing/orders/" + order_no);
        EXPECT_THAT(page.body, HasSubstr("id=\"order-qr\"")) << channel;
    }
}

TEST_F(TopupTest, BadAmountsAndChannelsAreRefusedWithClearMessagesAndNoOrder) {
    Browser b = signed_up("frank");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"-5", "金额必须为正数"}, {"0", "金额必须大于 0"}, {"0.001", "最小单位为 0.01 元"},
        {"1e3", "请只输入数字"},  {"NaN", "请只输入数字"}, {"100000000", "金额过大"},
        {"", "请输入金额"},       {"12,5", "请只输入数字"}};
    for (const auto& [amount, message] : cases) {
        auto r = b.submit("/account/billing/topup", "/account/billing/topup",
                          {{"amount", amount}, {"channel", "alipay"}});
        EXPECT_EQ(r.status, 400) << amount;
        EXPECT_THAT(r.body, HasSubstr(message)) << amount;
    }
    auto r = b.submit("/account/billing/topup", "/account/billing/topup",
                      {{"amount", "10"}, {"channel", "paypal"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_THAT(r.body, HasSubstr("请选择页面上列出的支付方式"));
    // Without the form's token nothing happens.
    EXPECT_EQ(b.post("/account/billing/topup", {{"amount", "10"}, {"channel", "alipay"}}).status,
              403);
    auto rows = db_->query("SELECT COUNT(*) FROM billing_orders", {});
    EXPECT_EQ(rows.value().front().integer(0), 0);
}

TEST_F(TopupTest, AnotherAccountsOrderIsNotFoundAndBankOrdersShowTheTransferDetails) {
    Browser alice = signed_up("alice");
    const auto order_no = top_up(alice, "300", "bank");
    auto page = alice.get("/account/billing/orders/" + order_no);
    EXPECT_THAT(page.body, HasSubstr("6214 8300 0000 0001"));
    EXPECT_THAT(page.body, HasSubstr("idpd Ltd"));
    EXPECT_THAT(page.body, HasSubstr("银行转账"));
    // The top-up page lists it with a link to pay it.
    EXPECT_THAT(alice.get("/account/billing/topup").body,
                HasSubstr("href=\"/account/billing/orders/" + order_no + "\""));
    Browser mallory = signed_up("mallory");
    EXPECT_EQ(mallory.get("/account/billing/orders/" + order_no).status, 404);
    EXPECT_EQ(mallory.get("/account/billing/orders/T99999999999999999999").status, 404);
    EXPECT_EQ(mallory.get("/account/billing/orders/" + order_no + "/qr.svg").status, 404);
    Browser stranger(*app_);
    EXPECT_EQ(stranger.get("/account/billing/topup").status, 303);
}

}  // namespace
}  // namespace idpd::testing_support
