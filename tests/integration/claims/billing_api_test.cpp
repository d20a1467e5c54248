// The billing part of /api/v1: accounts, balance, transactions, orders, coupons, coupon
// redemption and quota usage reports, each for the caller's own accounts only (another's is
// 404), with the scopes of api/caller.h.
#include "app/oidc_settings.h"
#include "billing/coupon_store.h"
#include "billing/order_store.h"
#include "integration/claims/claims_fixture.h"
#include "jose/key_store.h"
#include "oidc/client_secret.h"

namespace idpd::testing_support {
namespace {

using http::Method;
using testing::HasSubstr;

class BillingApiTest : public ClaimsTest {
protected:
    void SetUp() override {
        ClaimsTest::SetUp();
        browser_ = std::make_unique<Browser>(signed_up("alice"));
        alice_ = user_id("alice");
        orgs_[alice_] = {{7, "acme", "Acme Ltd", org::Role::member}};
        personal_ = fund({billing::OwnerKind::user, alice_}, 1234);
        org_account_ = fund({billing::OwnerKind::org, 7}, 5000, "org-seed");
        token_ = tokens(*browser_, "openid billing billing:pay")["access_token"].get<std::string>();
    }

    nlohmann::json body_of(const http::HttpResponse& r, int status) {
        EXPECT_EQ(r.status, status) << r.body;
        return nlohmann::json::parse(r.body);
    }

    // A client_credentials token with quota:report for a confidential service.
    std::string service_token() {
        oidc::Client client;
        client.client_id = "meter";
        client.name = "meter";
        client.grant_types = {"client_credentials"};
        client.scopes = {"quota:report"};
        client.token_endpoint_auth_method = oidc::AuthMethod::client_secret_post;
        auto master = jose::load_master_key(app::master_key_options(config_));
        EXPECT_TRUE(master);
        client.secret_hash = oidc::ClientSecretHasher(*master).hash("meter-secret");
        EXPECT_TRUE(oidc::ClientStore(*db_).create(client));
        http::HttpRequest req;
        req.method = Method::post;
        req.path = "/token";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.body =
            "grant_type=client_credentials&scope=quota%3Areport&client_id=meter&"
            "client_secret=meter-secret";
        auto r = app_->handle(req);
        EXPECT_EQ(r.status, 200) << r.body;
        return nlohmann::json::parse(r.body)["access_token"].get<std::string>();
    }

    std::unique_ptr<Browser> browser_;
    std::int64_t alice_ = 0;
    std::int64_t personal_ = 0;
    std::int64_t org_account_ = 0;
    std::string token_;
};

TEST_F(BillingApiTest, AccountsListThePersonalAndEachOrganization) {
    auto body = body_of(api(Method::get, "/api/v1/accounts", token_), 200);
    ASSERT_EQ(body["accounts"].size(), 2u) << body;
    EXPECT_EQ(body["accounts"][0]["owner"]["kind"], "user");
    EXPECT_EQ(body["accounts"][0]["balance_fen"], 1234);
    EXPECT_EQ(body["accounts"][0]["plan"]["id"], "free-2x");
    EXPECT_EQ(body["accounts"][0]["currency"], "CNY");
    EXPECT_EQ(body["accounts"][1]["owner"]["kind"], "org");
    EXPECT_EQ(body["accounts"][1]["owner"]["id"], 7);
    EXPECT_EQ(body["accounts"][1]["balance_fen"], 5000);
    EXPECT_EQ(body["accounts"][1]["role"], "member");
}

TEST_F(BillingApiTest, BalanceIsPersonalOrTheNamedOrganizationsAndNobodyElses) {
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance", token_), 200)["balance_fen"], 1234);
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance?org=7", token_), 200)["balance_fen"], 5000);
    fund({billing::OwnerKind::org, 8}, 999, "other-org");
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance?org=8", token_), 404)["error"],
              "not_found");
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance?org=x7", token_), 400)["error"],
              "invalid_request");
    auto missing = api(Method::get, "/api/v1/balance", "");
    EXPECT_EQ(missing.status, 401);
    EXPECT_TRUE(missing.headers.get("WWW-Authenticate"));
}

TEST_F(BillingApiTest, AnOrganizationScopedTokenSeesItsOrganizationOnly) {
    const auto scoped =
        tokens(*browser_, "openid billing org:7")["access_token"].get<std::string>();
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance", scoped), 200)["balance_fen"], 5000);
    auto accounts = body_of(api(Method::get, "/api/v1/accounts", scoped), 200)["accounts"];
    ASSERT_EQ(accounts.size(), 1u);
    EXPECT_EQ(accounts[0]["owner"]["id"], 7);
}

TEST_F(BillingApiTest, TransactionsArePagedAndFiltered) {
    fund({billing::OwnerKind::user, alice_}, 100, "second");
    fund({billing::OwnerKind::user, alice_}, 200, "third");
    auto first = body_of(api(Method::get, "/api/v1/transactions?per_page=2", token_), 200);
    EXPECT_EQ(first["total"], 3);
    ASSERT_EQ(first["transactions"].size(), 2u);
    EXPECT_EQ(first["transactions"][0]["amount_fen"], 200);  // newest first
    EXPECT_EQ(first["transactions"][0]["balance_after_fen"], 1534);
    EXPECT_TRUE(first["has_more"]);
    auto second = body_of(api(Method::get, "/api/v1/transactions?per_page=2&page=2", token_), 200);
    ASSERT_EQ(second["transactions"].size(), 1u);
    EXPECT_FALSE(second["has_more"]);
    auto coupons = body_of(api(Method::get, "/api/v1/transactions?type=coupon", token_), 200);
    EXPECT_EQ(coupons["total"], 0);
    for (const char* bad : {"type=gift", "page=0", "per_page=101", "page=-1"}) {
        EXPECT_EQ(api(Method::get, std::string("/api/v1/transactions?") + bad, token_).status, 400)
            << bad;
    }
}

TEST_F(BillingApiTest, OrdersAreTheCallersAndAnotherUsersOrderIs404) {
    billing::OrderStore orders(*db_);
    auto mine =
        orders.create({personal_, 5000, billing::Channel::bank, ""}, now(), std::chrono::hours(24));
    ASSERT_TRUE(mine);
    const std::int64_t bob_account = fund({billing::OwnerKind::user, alice_ + 100}, 1, "bob");
    auto bobs = orders.create({bob_account, 700, billing::Channel::alipay, ""}, now(),
                              std::chrono::hours(24));
    ASSERT_TRUE(bobs);
    auto list = body_of(api(Method::get, "/api/v1/orders", token_), 200)["orders"];
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["order_no"], mine->order_no);
    EXPECT_EQ(list[0]["amount_fen"], 5000);
    EXPECT_EQ(list[0]["status"], "pending");
    auto one = body_of(api(Method::get, "/api/v1/orders/" + mine->order_no, token_), 200);
    EXPECT_EQ(one["channel"], "bank");
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/orders/" + bobs->order_no, token_), 404)["error"],
              "not_found");
    EXPECT_EQ(api(Method::get, "/api/v1/orders/T000", token_).status, 404);
    // An organization's order is visible to its member.
    auto org_order = orders.create({org_account_, 300, billing::Channel::bank, ""}, now(),
                                   std::chrono::hours(24));
    EXPECT_EQ(api(Method::get, "/api/v1/orders/" + org_order->order_no, token_).status, 200);
}

TEST_F(BillingApiTest, ACouponIsRedeemedOncePerAccountAndListed) {
    auto coupon = billing::CouponStore(*db_).create(
        {800, now() - std::chrono::hours(1), now() + std::chrono::hours(1), 5}, now());
    ASSERT_TRUE(coupon);
    const std::string body = nlohmann::json{{"code", coupon->code}}.dump();
    auto redeemed = body_of(api(Method::post, "/api/v1/coupons/redeem", token_, body), 200);
    EXPECT_EQ(redeemed["amount_fen"], 800);
    EXPECT_EQ(redeemed["balance_fen"], 2034);
    EXPECT_EQ(body_of(api(Method::post, "/api/v1/coupons/redeem", token_, body), 409)["error"],
              "conflict");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'billing.coupon_redeemed'"), 1);
    EXPECT_EQ(body_of(api(Method::get, "/api/v1/balance", token_), 200)["balance_fen"], 2034);
    auto records = body_of(api(Method::get, "/api/v1/coupons", token_), 200)["coupons"];
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0]["amount_fen"], 800);
    EXPECT_EQ(records[0]["code_hint"], coupon->code.substr(0, 4));
    // A plain member may not redeem into the organization's account.
    EXPECT_EQ(api(Method::post, "/api/v1/coupons/redeem?org=7", token_, body).status, 403);
    EXPECT_EQ(api(Method::post, "/api/v1/coupons/redeem", token_, R"({"code": 5})").status, 400);
    EXPECT_EQ(api(Method::post, "/api/v1/coupons/redeem", token_, R"({"code":"NOPE-NOPE"})").status,
              404);
    // Redeeming needs billing:pay.
    const auto read_only = tokens(*browser_, "openid billing")["access_token"].get<std::string>();
    EXPECT_EQ(api(Method::post, "/api/v1/coupons/redeem", read_only, body).status, 403);
}

TEST_F(BillingApiTest, AQuotaReportCountsExactlyOncePerKey) {
    const std::string service = service_token();
    const std::string report =
        nlohmann::json{{"account", {{"user", alice_}}}, {"units", 5}, {"idempotency_key", "req-1"}}
            .dump();
    auto first = body_of(api(Method::post, "/api/v1/quota/usage", service, report), 200);
    EXPECT_EQ(first["used"], 5);
    EXPECT_FALSE(first["replayed"]);
    auto again = body_of(api(Method::post, "/api/v1/quota/usage", service, report), 200);
    EXPECT_EQ(again["used"], 5);
    EXPECT_TRUE(again["replayed"]);
    auto other = nlohmann::json::parse(report);
    other["units"] = 6;
    EXPECT_EQ(api(Method::post, "/api/v1/quota/usage", service, other.dump()).status, 409);
    for (const char* units : {"0", "-1", "1.5", "1e3", "\"5\"", "true", "99999999999999999999"}) {
        const std::string bad = R"({"account":{"user":)" + std::to_string(alice_) +
                                R"(},"units":)" + units + R"(,"idempotency_key":"k"})";
        EXPECT_EQ(api(Method::post, "/api/v1/quota/usage", service, bad).status, 400) << units;
    }
    const std::string nobody = R"({"account":{"user":999999},"units":1,"idempotency_key":"k"})";
    EXPECT_EQ(api(Method::post, "/api/v1/quota/usage", service, nobody).status, 404);
    // The usage shows in the plan claims.
    auto claims = payload(tokens(*browser_, "openid plan")["id_token"].get<std::string>());
    EXPECT_EQ(claims["quota_used"], 5);
    // A user's token without quota:report cannot report.
    EXPECT_EQ(api(Method::post, "/api/v1/quota/usage", token_, report).status, 403);
}

}  // namespace
}  // namespace idpd::testing_support
