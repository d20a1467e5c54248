// Consent through the whole app: a third-party client asks once, the page lists the scopes in
// the reader's language, Allow is remembered, Deny is access_denied at the client, prompt=none
// without consent is consent_required, prompt=consent asks again, and withdrawing from the
// "authorized applications" page makes the client ask again.
#include "integration/oidc/authorization_code_fixture.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;

class ConsentTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        add_client("partner", oidc::AccessTokenFormat::jwt, {std::string(redirect)}, false);
    }

    // Follows /authorize to the consent page and answers it; returns the final response.
    http::HttpResponse consent_round(Browser& b, const std::string& url,
                                     const std::string& decision) {
        auto r = b.get(url);
        EXPECT_EQ(r.status, 303);
        const auto to_consent = r.headers.get("Location").value_or("");
        EXPECT_TRUE(to_consent.starts_with("/consent?")) << to_consent;
        auto page = b.get(to_consent);
        EXPECT_EQ(page.status, 200) << page.body;
        auto answered =
            b.post("/consent", {{"csrf", Browser::csrf_of(page.body)},
                                {"client_id", Browser::input_value(page.body, "client_id")},
                                {"scope", Browser::input_value(page.body, "scope")},
                                {"return_to", Browser::input_value(page.body, "return_to")},
                                {"decision", decision}});
        EXPECT_EQ(answered.status, 303);
        return b.get(answered.headers.get("Location").value_or(""));
    }
};

TEST_F(ConsentTest, AThirdPartyClientAsksOnceAndTheAnswerIsRemembered) {
    Browser b = signed_up("carol");
    auto r = b.get(authorize_url("partner", {{"scope", "openid email"}}));
    ASSERT_EQ(r.status, 303);
    const auto location = r.headers.get("Location").value_or("");
    ASSERT_TRUE(location.starts_with("/consent?")) << location;
    auto page = b.get(location, "en");
    EXPECT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("partner wants to access your account"));
    EXPECT_THAT(page.body, HasSubstr("See your email address"));
    EXPECT_THAT(page.body, testing::Not(HasSubstr("See your phone number")));
    auto zh = b.get(location, "zh-CN");
    EXPECT_THAT(zh.body, HasSubstr("查看您的邮箱地址"));

    const std::string code =
        code_from(consent_round(b, authorize_url("partner", {{"scope", "openid email"}}), "allow"));
    EXPECT_EQ(redeem("partner", code).status, 200);
    // Remembered: the same request, or a narrower one, gets a code at once.
    code_from(b.get(authorize_url("partner", {{"scope", "openid email"}})));
    code_from(b.get(authorize_url("partner", {{"scope", "openid"}})));
    // A wider one asks again.
    auto wider = b.get(authorize_url("partner", {{"scope", "openid email profile"}}));
    EXPECT_TRUE(wider.headers.get("Location").value_or("").starts_with("/consent?"));
}

TEST_F(ConsentTest, DenyIsAccessDeniedAtTheClientWithStateAndIss) {
    Browser b = signed_up("dave");
    auto r = consent_round(b, authorize_url("partner"), "deny");
    ASSERT_EQ(r.status, 303);
    auto q = query_of(r.headers.get("Location").value_or(""));
    EXPECT_EQ(q["error"], "access_denied");
    EXPECT_EQ(q["state"], "st-1");
    EXPECT_EQ(q["iss"], std::string(origin));
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents"), 0);
}

TEST_F(ConsentTest, PromptNoneWithoutConsentIsConsentRequired) {
    Browser b = signed_up("erin");
    auto r = b.get(authorize_url("partner", {{"prompt", "none"}}));
    ASSERT_EQ(r.status, 303);
    auto q = query_of(r.headers.get("Location").value_or(""));
    EXPECT_EQ(q["error"], "consent_required");
    EXPECT_EQ(q["iss"], std::string(origin));
}

TEST_F(ConsentTest, PromptConsentAsksAgainEvenWhenRemembered) {
    Browser b = signed_up("frank");
    code_from(consent_round(b, authorize_url("partner"), "allow"));
    auto again = b.get(authorize_url("partner", {{"prompt", "consent"}}));
    ASSERT_TRUE(again.headers.get("Location").value_or("").starts_with("/consent?"));
    code_from(consent_round(b, authorize_url("partner", {{"prompt", "consent"}}), "allow"));
}

TEST_F(ConsentTest, FirstPartyClientsNeverAsk) {
    add_client("console", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("gina");
    code_from(b.get(authorize_url("console")));
    EXPECT_EQ(count("SELECT COUNT(*) FROM consents"), 0);
}

TEST_F(ConsentTest, WithdrawingOnTheAppsPageMakesTheClientAskAgain) {
    Browser b = signed_up("hank");
    code_from(consent_round(b, authorize_url("partner"), "allow"));
    auto apps = b.get("/account/apps", "en");
    ASSERT_EQ(apps.status, 200);
    EXPECT_THAT(apps.body, HasSubstr("partner"));
    EXPECT_THAT(apps.body, HasSubstr("Withdraw access"));
    auto withdrawn =
        b.post("/account/apps/partner/withdraw", {{"csrf", Browser::csrf_of(apps.body)}});
    EXPECT_EQ(withdrawn.status, 303);
    auto after = b.get(withdrawn.headers.get("Location").value_or(""), "en");
    EXPECT_THAT(after.body, HasSubstr("Access withdrawn"));
    auto r = b.get(authorize_url("partner"));
    EXPECT_TRUE(r.headers.get("Location").value_or("").starts_with("/consent?"));
}

TEST_F(ConsentTest, TheConsentFormCannotGrantMoreThanTheClientMayAskOrBePostedCrossSite) {
    Browser b = signed_up("ivory");
    auto r = b.get(authorize_url("partner"));
    auto page = b.get(r.headers.get("Location").value_or(""));
    const std::string return_to = Browser::input_value(page.body, "return_to");
    auto cross = b.post("/consent",
                        {{"csrf", Browser::csrf_of(page.body)},
                         {"client_id", "partner"},
                         {"scope", "openid"},
                         {"return_to", return_to},
                         {"decision", "allow"}},
                        std::string("https://evil.example"));
    EXPECT_EQ(cross.status, 403);
    b.post("/consent", {{"csrf", Browser::csrf_of(page.body)},
                        {"client_id", "partner"},
                        {"scope", "openid admin phone"},
                        {"return_to", return_to},
                        {"decision", "allow"}});
    auto rows = db_->query("SELECT scope FROM consents", {});
    ASSERT_TRUE(rows && rows->size() == 1);
    EXPECT_EQ(rows->front().text(0), "openid");
    // Only our own /authorize is a place the consent page sends a browser back to.
    auto off = b.get("/consent?client_id=partner&scope=openid&return_to=%2Faccount");
    EXPECT_EQ(off.status, 400);
}

}  // namespace
}  // namespace idpd::testing_support
