#include <gtest/gtest.h>

#include "integration/federation/federation_fixture.h"

namespace idpd::testing_support {
namespace {

TEST_F(FederationTest, GenericOidcSignUpChecksTheIdTokenAndSignsInAgain) {
    Browser b(*app_);
    ASSERT_EQ(upstream_login(b, "oidc").headers.get("Location").value_or(""),
              "/federation/continue");
    auto sent = last_authorize("oidc");
    EXPECT_EQ(sent["code_challenge_method"], "S256");
    EXPECT_FALSE(sent["nonce"].get<std::string>().empty());
    EXPECT_EQ(sent["scope"], "openid profile email");
    auto page = b.get("/federation/continue");
    EXPECT_EQ(Browser::input_value(page.body, "username"), "jdoe");
    EXPECT_EQ(Browser::input_value(page.body, "email"), "jane@corp.example");
    auto created = b.submit("/federation/continue", "/federation/continue",
                            {{"action", "create"},
                             {"username", "jdoe"},
                             {"email", "jane@corp.example"},
                             {"accept_terms", "1"}});
    ASSERT_EQ(created.status, 303) << created.body;
    Browser again(*app_);
    EXPECT_EQ(upstream_login(again, "oidc").headers.get("Location").value_or(""), "/account");
}

TEST_F(FederationTest, GenericOidcRefusesBadIdTokens) {
    for (const std::string mode : {"bad_nonce", "wrong_audience", "bad_signature"}) {
        fake_mode("oidc", mode);
        Browser b(*app_);
        auto r = upstream_login(b, "oidc");
        EXPECT_EQ(r.status, 502) << mode;
        EXPECT_EQ(b.get("/account").status, 303) << mode;
    }
    fake_mode("oidc", "expire_code");
    Browser b(*app_);
    EXPECT_EQ(upstream_login(b, "oidc").status, 502);
    fake_mode("oidc", "deny");
    EXPECT_EQ(upstream_login(b, "oidc").status, 403);
}

TEST_F(FederationTest, GenericOidcWithAnUnreachableIssuerShowsAPage) {
    config_.federation.upstream["oidc_issuer_url"] = "http://127.0.0.1:9/nowhere";
    start_app();
    Browser b(*app_);
    auto form = b.get("/signin");
    auto r = b.post("/federation/oidc/start", {{"csrf", Browser::csrf_of(form.body)}});
    EXPECT_EQ(r.status, 502);
}

TEST_F(FederationTest, GenericOAuth2MapsTheConfiguredClaims) {
    Browser b(*app_);
    ASSERT_EQ(upstream_login(b, "oauth2").headers.get("Location").value_or(""),
              "/federation/continue");
    auto page = b.get("/federation/continue");
    EXPECT_EQ(Browser::input_value(page.body, "username"), "octocat");
    EXPECT_EQ(Browser::input_value(page.body, "email"), "octocat@github.example");
    auto created = b.submit("/federation/continue", "/federation/continue",
                            {{"action", "create"},
                             {"username", "octocat"},
                             {"email", "octocat@github.example"},
                             {"accept_terms", "1"}});
    ASSERT_EQ(created.status, 303) << created.body;
    // No email_verified_claim configured: the address is not taken as verified.
    account::UserStore users{*db_};
    auto emails = users.emails(user_id_of("octocat"));
    ASSERT_TRUE(emails && emails->size() == 1);
    EXPECT_FALSE(emails->front().is_verified());
    // The same upstream user through the GitHub connector is another identity.
    Browser other(*app_);
    EXPECT_EQ(upstream_login(other, "github").headers.get("Location").value_or(""),
              "/federation/continue");
}

}  // namespace
}  // namespace idpd::testing_support
