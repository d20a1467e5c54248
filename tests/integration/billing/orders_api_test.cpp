// POST /api/v1/orders: a top-up order for the caller's personal account with an access token
// carrying billing:pay. The Idempotency-Key makes a retry return the first order (201, then 200
// with the same order_no); the same key with another amount or channel is 422; bad amounts and
// channels are 400; no token 401, a token without billing:pay 403; an org-scoped caller who is
// not an owner or admin of that organization is 403.
#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/oidc/authorization_code_fixture.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

class OrdersApiTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        config_.billing.bank_name = "China Merchants Bank";
        config_.billing.bank_account_name = "idpd Ltd";
        config_.billing.bank_account_number = "6214 8300 0000 0001";
        start_app();
        add_client("app", oidc::AccessTokenFormat::jwt);
        oidc::ClientStore clients(*db_);
        auto client = clients.find("app").value();
        client.scopes = {"openid", "billing", "billing:pay"};
        ASSERT_TRUE(clients.update(client, std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()));
    }

    std::string token_with(const std::string& user, const std::string& scope) {
        Browser b = signed_up(user);
        const std::string code = code_from(b.get(authorize_url("app", {{"scope", scope}})));
        auto token = redeem("app", code);
        EXPECT_EQ(token.status, 200) << token.body;
        return json::parse(token.body).value("access_token", "");
    }

    http::HttpResponse create(const std::string& token, const std::string& body,
                              const std::string& key = "") {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/api/v1/orders";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/json");
        if (!token.empty()) {
            req.headers.set("Authorization", "Bearer " + token);
        }
        if (!key.empty()) {
            req.headers.set("Idempotency-Key", key);
        }
        req.body = body;
        return app_->handle(req);
    }
};

TEST_F(OrdersApiTest, TheSameIdempotencyKeyAndBodyGiveTheSameOrderAndAnotherBodyIs422) {
    const auto token = token_with("alice", "openid billing:pay");
    const std::string body = R"({"amount":"10.00","channel":"bank"})";
    auto first = create(token, body, "retry-1");
    ASSERT_EQ(first.status, 201) << first.body;
    const auto order = json::parse(first.body);
    EXPECT_EQ(order["amount"], "10.00");
    EXPECT_EQ(order["amount_fen"], 1000);
    EXPECT_EQ(order["status"], "pending");
    EXPECT_EQ(order["bank"]["reference"], order["order_no"]);
    auto again = create(token, body, "retry-1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(json::parse(again.body)["order_no"], order["order_no"]);
    auto other = create(token, R"({"amount":"11.00","channel":"bank"})", "retry-1");
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(json::parse(other.body)["error"], "idempotency_key_reused");
    // Without a key each call is a new order; another key is another order.
    EXPECT_EQ(create(token, body).status, 201);
    EXPECT_EQ(create(token, body, "retry-2").status, 201);
    EXPECT_EQ(count("SELECT COUNT(*) FROM billing_orders"), 3);
}

TEST_F(OrdersApiTest, BadAmountsChannelsAndCredentialsAreRefused) {
    const auto token = token_with("bobby", "openid billing:pay");
    for (const std::string amount : {R"("-1")", R"("0")", R"("0.001")", R"("1e3")", R"("NaN")",
                                     R"("99999999999")", "12.5", "null"}) {
        auto r = create(token, R"({"channel":"bank","amount":)" + amount + "}");
        EXPECT_EQ(r.status, 400) << amount;
        EXPECT_EQ(json::parse(r.body)["error"], "invalid_request");
    }
    // Alipay and WeChat Pay are not configured here, so they are not offered.
    EXPECT_EQ(create(token, R"({"amount":"1","channel":"alipay"})").status, 400);
    EXPECT_EQ(create(token, R"({"amount":"1","channel":"paypal"})").status, 400);
    EXPECT_EQ(create(token, "not json").status, 400);
    EXPECT_EQ(create(token, R"({"amount":"1","channel":"bank"})", "bad key").status, 400);
    EXPECT_EQ(create("", R"({"amount":"1","channel":"bank"})").status, 401);
    const auto reader = token_with("carol", "openid billing");
    EXPECT_EQ(create(reader, R"({"amount":"1","channel":"bank"})").status, 403);
    EXPECT_EQ(count("SELECT COUNT(*) FROM billing_orders"), 0);
}

}  // namespace
}  // namespace idpd::testing_support
