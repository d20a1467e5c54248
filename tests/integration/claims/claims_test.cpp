// The extra scopes as claims: plan, billing and orgs in the ID token, the JWT access token,
// /userinfo and /introspect when granted and never otherwise; organization-scoped tokens
// (org:<id>) for members only, describing the organization's account, refused on refresh once
// the user has left; the claims parameter's ID token claims; discovery; the consent page.
#include "integration/claims/claims_fixture.h"

namespace idpd::testing_support {
namespace {

using testing::HasSubstr;

class ExtraClaimsTest : public ClaimsTest {
protected:
    void SetUp() override {
        ClaimsTest::SetUp();
        browser_ = std::make_unique<Browser>(signed_up("alice"));
        alice_ = user_id("alice");
        orgs_[alice_] = {{7, "acme", "Acme Ltd", org::Role::admin}};
        fund({billing::OwnerKind::user, alice_}, 1234);
        fund({billing::OwnerKind::org, 7}, 5000, "org-seed");
    }

    // Every target's claims for one grant: ID token, JWT access token, userinfo, introspection.
    std::vector<nlohmann::json> every_target(const nlohmann::json& granted) {
        const auto at = granted["access_token"].get<std::string>();
        auto info = userinfo(at);
        EXPECT_EQ(info.status, 200) << info.body;
        auto intro = introspect(at);
        EXPECT_EQ(intro.status, 200) << intro.body;
        return {payload(granted["id_token"].get<std::string>()), payload(at),
                nlohmann::json::parse(info.body), nlohmann::json::parse(intro.body)};
    }

    std::unique_ptr<Browser> browser_;
    std::int64_t alice_ = 0;
};

TEST_F(ExtraClaimsTest, GrantedScopesPutTheirClaimsInEveryTarget) {
    const auto granted = tokens(*browser_, "openid plan billing orgs");
    for (const auto& claims : every_target(granted)) {
        EXPECT_EQ(claims["plan"], "free-2x") << claims;
        EXPECT_EQ(claims["plan_name"], "Free 2x");
        EXPECT_EQ(claims["quota"], billing::Catalog::defaults().free_plan().quota);
        EXPECT_EQ(claims["quota_used"], 0);
        EXPECT_EQ(claims["bonus_quota"], 0);
        EXPECT_EQ(claims["balance"], 1234);  // integer fen, the personal account
        EXPECT_EQ(claims["currency"], "CNY");
        EXPECT_EQ(claims["orgs"],
                  nlohmann::json::parse(R"([{"id":7,"name":"acme","role":"admin"}])"));
        EXPECT_FALSE(claims.contains("org_id"));
        // A source never replaces a protocol claim.
        EXPECT_EQ(claims["sub"], std::to_string(alice_));
    }
}

TEST_F(ExtraClaimsTest, ScopesNotGrantedAddNothing) {
    const auto granted = tokens(*browser_, "openid plan");
    for (const auto& claims : every_target(granted)) {
        EXPECT_TRUE(claims.contains("plan")) << claims;
        for (const char* name : {"balance", "currency", "orgs", "org_id", "org_role"}) {
            EXPECT_FALSE(claims.contains(name)) << name << " in " << claims;
        }
    }
    const auto bare = tokens(*browser_, "openid");
    for (const auto& claims : every_target(bare)) {
        for (const char* name : {"plan", "quota", "balance", "orgs"}) {
            EXPECT_FALSE(claims.contains(name)) << name << " in " << claims;
        }
    }
}

TEST_F(ExtraClaimsTest, AnOpaqueAccessTokenHasItsClaimsInIntrospection) {
    add_claims_client("opaque-rp", oidc::AccessTokenFormat::opaque);
    const auto granted = tokens(*browser_, "openid billing", {}, "opaque-rp");
    const auto at = granted["access_token"].get<std::string>();
    EXPECT_EQ(std::count(at.begin(), at.end(), '.'), 0);
    auto intro = nlohmann::json::parse(introspect(at, "opaque-rp").body);
    EXPECT_EQ(intro["balance"], 1234);
    // Introspection tells the balance now, not at issue.
    fund({billing::OwnerKind::user, alice_}, 100, "later");
    intro = nlohmann::json::parse(introspect(at, "opaque-rp").body);
    EXPECT_EQ(intro["balance"], 1334);
}

TEST_F(ExtraClaimsTest, AnOrganizationScopedTokenDescribesTheOrganization) {
    const auto granted = tokens(*browser_, "openid plan billing org:7");
    EXPECT_EQ(granted["scope"], "openid plan billing org:7");
    for (const auto& claims : every_target(granted)) {
        EXPECT_EQ(claims["org_id"], 7) << claims;
        EXPECT_EQ(claims["org_role"], "admin");
        EXPECT_EQ(claims["balance"], 5000);  // the organization's account, not alice's 1234
        EXPECT_EQ(claims["plan"], "free-2x");
    }
}

TEST_F(ExtraClaimsTest, ANonMemberIsRefusedWithAccessDenied) {
    auto r = browser_->get(authorize_url("rp", {{"scope", "openid org:9"}}));
    ASSERT_EQ(r.status, 303);
    auto q = query_of(r.headers.get("Location").value_or(""));
    EXPECT_EQ(q["error"], "access_denied");
    EXPECT_THAT(q["error_description"], HasSubstr("not a member of organization 9"));
    EXPECT_EQ(q["state"], "st-1");
}

TEST_F(ExtraClaimsTest, OneOrganizationAtMostAndOnlyForClientsAllowedOrgs) {
    auto two = query_of(browser_->get(authorize_url("rp", {{"scope", "openid org:7 org:8"}}))
                            .headers.get("Location")
                            .value_or(""));
    EXPECT_EQ(two["error"], "invalid_scope");
    add_claims_client("no-orgs", oidc::AccessTokenFormat::jwt, {"openid", "plan"});
    auto refused = query_of(browser_->get(authorize_url("no-orgs", {{"scope", "openid org:7"}}))
                                .headers.get("Location")
                                .value_or(""));
    EXPECT_EQ(refused["error"], "invalid_scope");
    // Not an organization scope at all: org:07, org:x are unknown scopes.
    auto odd = query_of(browser_->get(authorize_url("rp", {{"scope", "openid org:07"}}))
                            .headers.get("Location")
                            .value_or(""));
    EXPECT_EQ(odd["error"], "invalid_scope");
}

TEST_F(ExtraClaimsTest, ARefreshKeepsTheOrganizationUntilTheUserLeavesIt) {
    const auto granted = tokens(*browser_, "openid billing org:7 offline_access");
    ASSERT_TRUE(granted.contains("refresh_token")) << granted;
    auto r = refresh(granted["refresh_token"].get<std::string>());
    ASSERT_EQ(r.status, 200) << r.body;
    const auto refreshed = nlohmann::json::parse(r.body);
    EXPECT_EQ(refreshed["scope"], "openid billing org:7 offline_access");
    EXPECT_EQ(payload(refreshed["id_token"].get<std::string>())["org_id"], 7);
    EXPECT_EQ(payload(refreshed["access_token"].get<std::string>())["balance"], 5000);

    orgs_[alice_].clear();  // alice leaves acme
    // The access token already out answers without any organization claims now.
    auto info = nlohmann::json::parse(userinfo(refreshed["access_token"].get<std::string>()).body);
    EXPECT_FALSE(info.contains("org_id")) << info;
    EXPECT_FALSE(info.contains("balance")) << info;
    // Even narrowed to leave org:7 out, the grant gives nothing more.
    auto narrowed = refresh(refreshed["refresh_token"].get<std::string>(), "&scope=openid");
    EXPECT_EQ(narrowed.status, 400);
    EXPECT_THAT(narrowed.body, HasSubstr("invalid_grant"));
    EXPECT_THAT(narrowed.body, HasSubstr("no longer a member of organization 7"));
}

TEST_F(ExtraClaimsTest, TheClaimsParameterAddsGrantedStandardClaimsToTheIdToken) {
    const std::string claims = R"({"id_token":{"email":null,"email_verified":{"essential":true},)"
                               R"("shoe_size":null},"userinfo":{"name":null}})";
    auto with = payload(
        tokens(*browser_, "openid email", {{"claims", claims}})["id_token"].get<std::string>());
    EXPECT_EQ(with["email"], "alice@example.com");
    EXPECT_EQ(with["email_verified"], false);
    EXPECT_FALSE(with.contains("shoe_size"));  // unknown: ignored
    // Without the parameter, the ID token has no email.
    auto without = payload(tokens(*browser_, "openid email")["id_token"].get<std::string>());
    EXPECT_FALSE(without.contains("email"));
    // Asked for, but its scope was not granted: not there.
    auto ungranted = payload(
        tokens(*browser_, "openid profile", {{"claims", claims}})["id_token"].get<std::string>());
    EXPECT_FALSE(ungranted.contains("email"));
    // userinfo answers by scope: name needs profile.
    auto token =
        tokens(*browser_, "openid email", {{"claims", claims}})["access_token"].get<std::string>();
    EXPECT_FALSE(nlohmann::json::parse(userinfo(token).body).contains("name"));
}

TEST_F(ExtraClaimsTest, TheClaimsParameterSurvivesARefresh) {
    auto granted = tokens(*browser_, "openid email offline_access",
                          {{"claims", R"({"id_token":{"email":null}})"}});
    auto r = refresh(granted["refresh_token"].get<std::string>());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(payload(nlohmann::json::parse(r.body)["id_token"].get<std::string>())["email"],
              "alice@example.com");
}

TEST_F(ExtraClaimsTest, AMalformedClaimsParameterIsInvalidRequest) {
    for (const char* bad :
         {R"({"id_token":5})", R"({"userinfo":[]})", R"({"id_token":{"email":true}})"}) {
        auto q = query_of(
            browser_->get(authorize_url("rp", {{"scope", "openid email"}, {"claims", bad}}))
                .headers.get("Location")
                .value_or(""));
        EXPECT_EQ(q["error"], "invalid_request") << bad;
    }
}

TEST_F(ExtraClaimsTest, DiscoveryAdvertisesTheScopesAndClaims) {
    auto doc = nlohmann::json::parse(get("/.well-known/openid-configuration").body);
    for (const char* scope :
         {"plan", "billing", "orgs", "account", "billing:pay", "orgs:manage", "quota:report"}) {
        EXPECT_NE(std::ranges::find(doc["scopes_supported"], scope), doc["scopes_supported"].end())
            << scope;
    }
    for (const char* claim : {"plan", "plan_name", "quota", "quota_used", "bonus_quota", "balance",
                              "currency", "orgs", "org_id", "org_role"}) {
        EXPECT_NE(std::ranges::find(doc["claims_supported"], claim), doc["claims_supported"].end())
            << claim;
    }
}

TEST_F(ExtraClaimsTest, TheConsentPageNamesTheScopesAndTheOrganization) {
    add_claims_client("partner", oidc::AccessTokenFormat::jwt,
                      {"openid", "plan", "billing", "orgs"}, false);
    const auto url = authorize_url("partner", {{"scope", "openid plan billing org:7"}});
    auto r = browser_->get(url);
    ASSERT_EQ(r.status, 303);
    const auto consent = r.headers.get("Location").value_or("");
    ASSERT_TRUE(consent.starts_with("/consent?")) << consent;
    auto en = browser_->get(consent, "en");
    EXPECT_THAT(en.body, HasSubstr("See your plan and quota"));
    EXPECT_THAT(en.body, HasSubstr("See your account balance"));
    EXPECT_THAT(en.body, HasSubstr("Act for the organization “Acme Ltd” (your role: admin)"));
    auto zh = browser_->get(consent, "zh-CN");
    EXPECT_THAT(zh.body, HasSubstr("代表组织“Acme Ltd”操作（您的角色：管理员）"));
    auto allowed =
        browser_->post("/consent", {{"csrf", Browser::csrf_of(en.body)},
                                    {"client_id", "partner"},
                                    {"scope", Browser::input_value(en.body, "scope")},
                                    {"return_to", Browser::input_value(en.body, "return_to")},
                                    {"decision", "allow"}});
    ASSERT_EQ(allowed.status, 303);
    code_from(browser_->get(allowed.headers.get("Location").value_or("")));
    // The authorized applications page names the organization too.
    EXPECT_THAT(browser_->get("/account/apps", "en").body,
                HasSubstr("Act for the organization “Acme Ltd”"));
    // A crafted consent for an organization alice does not belong to is refused.
    auto foreign =
        browser_->post("/consent", {{"csrf", Browser::csrf_of(en.body)},
                                    {"client_id", "partner"},
                                    {"scope", "openid org:9"},
                                    {"return_to", Browser::input_value(en.body, "return_to")},
                                    {"decision", "allow"}});
    EXPECT_EQ(foreign.status, 403);
}

}  // namespace
}  // namespace idpd::testing_support
