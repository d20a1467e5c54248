// Bank-transfer orders confirmed by an operator: through the admin API (bearer token, JSON) and
// through `idpd billing confirm-transfer`; credited once, refused (and audited) when the amount
// differs, not a bank order or unknown.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "billing/account_store.h"
#include "billing/order_store.h"
#include "integration/app_fixture.h"
#include "support/process.h"

namespace idpd::testing_support {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view api_token = "admin-api-token-0123456789abcdefghij";

class TransferConfirmationTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        config_.admin.api_token = std::string(api_token);
        app_ = std::make_unique<app::App>(config_, *db_);
        const auto now =
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        account_ = billing::AccountStore(*db_)
                       .open({billing::OwnerKind::user, 5}, "free-2x", now)
                       .value()
                       .id;
        bank_order_ = billing::OrderStore(*db_)
                          .create({account_, 12'345, billing::Channel::bank, ""}, now, 24h)
                          .value()
                          .order_no;
    }

    http::HttpResponse confirm(const std::string& order_no, const json& body,
                               const std::string& token = std::string(api_token)) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/admin/api/v1/billing/orders/" + order_no + "/confirm-transfer";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/json");
        req.headers.set("Authorization", "Bearer " + token);
        req.body = body.dump();
        return app_->handle(req);
    }

    std::int64_t balance() { return billing::AccountStore(*db_).get(account_).value().balance_fen; }

    std::int64_t account_ = 0;
    std::string bank_order_;
};

TEST_F(TransferConfirmationTest, TheAdminApiCreditsABankOrderOnce) {
    EXPECT_EQ(confirm(bank_order_, {{"amount", "123.45"}, {"reference", "ICBC-1"}}, "wrong").status,
              401);
    auto wrong = confirm(bank_order_, {{"amount", "123.44"}, {"reference", "ICBC-1"}});
    EXPECT_EQ(wrong.status, 400);
    EXPECT_NE(wrong.body.find("differs"), std::string::npos) << wrong.body;
    EXPECT_EQ(confirm(bank_order_, {{"amount", "-1"}, {"reference", "ICBC-1"}}).status, 400);
    EXPECT_EQ(confirm(bank_order_, {{"amount", 123.45}, {"reference", "ICBC-1"}}).status, 400);
    EXPECT_EQ(confirm("T0", {{"amount", "123.45"}, {"reference", "ICBC-1"}}).status, 404);
    EXPECT_EQ(balance(), 0);

    auto ok = confirm(bank_order_, {{"amount", "123.45"}, {"reference", "ICBC-1"}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto body = json::parse(ok.body);
    EXPECT_EQ(body["status"], "paid");
    EXPECT_EQ(body["balance_after"], "123.45");
    EXPECT_EQ(body["replayed"], false);
    auto again =
        json::parse(confirm(bank_order_, {{"amount", "123.45"}, {"reference", "ICBC-1"}}).body);
    EXPECT_EQ(again["replayed"], true);
    EXPECT_EQ(balance(), 12'345);
    auto refused = audit::tail(*db_, {100, std::nullopt, "billing.payment_refused"}).value();
    EXPECT_EQ(refused.size(), 2u);  // the differing amount and the unknown order
    EXPECT_EQ(audit::tail(*db_, {100, std::nullopt, "billing.payment_confirmed"}).value().size(),
              1u);
}

TEST_F(TransferConfirmationTest, AnAlipayOrderCannotBeConfirmedAsATransfer) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto alipay = billing::OrderStore(*db_)
                      .create({account_, 100, billing::Channel::alipay, ""}, now, 24h)
                      .value();
    auto r = confirm(alipay.order_no, {{"amount", "1.00"}, {"reference", "x"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("not paid through this channel"), std::string::npos);
    EXPECT_EQ(balance(), 0);
}

TEST_F(TransferConfirmationTest, TheCliConfirmsATransferOnce) {
    std::map<std::string, std::string> env{{"IDPD_DATABASE_URL", config_.database.url},
                                           {"IDPD_SERVER_VAR_DIR", dir_.string()}};
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), IDPD_BINARY);
        return std::make_unique<Process>(args, env, IDPD_SOURCE_DIR);
    };
    auto bad =
        run({"billing", "confirm-transfer", bank_order_, "--amount", "1e2", "--reference", "R1"});
    EXPECT_EQ(bad->wait(), 2);
    EXPECT_NE(bad->err().find("only digits"), std::string::npos) << bad->err();
    auto ok = run(
        {"billing", "confirm-transfer", bank_order_, "--amount", "123.45", "--reference", "R1"});
    EXPECT_EQ(ok->wait(), 0) << ok->err();
    EXPECT_NE(ok->out().find("credited 123.45"), std::string::npos) << ok->out();
    auto again = run(
        {"billing", "confirm-transfer", bank_order_, "--amount", "123.45", "--reference", "R1"});
    EXPECT_EQ(again->wait(), 0);
    EXPECT_NE(again->out().find("already paid"), std::string::npos) << again->out();
    EXPECT_EQ(balance(), 12'345);
}

}  // namespace
}  // namespace idpd::testing_support
