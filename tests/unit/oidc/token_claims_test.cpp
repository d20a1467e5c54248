// The extra scopes' claims (oidc/token_claims.h), organization scopes (org:<id>), the scope
// check for them, and the claims parameter's ID token claims (authorize/check_claims.cpp).
#include "oidc/token_claims.h"

#include <gtest/gtest.h>

#include "oidc/authorize/checks.h"
#include "oidc/scope.h"
#include "oidc/standard_claims.h"

namespace idpd::oidc {
namespace {

AuthorizeRequest request_of(std::map<std::string, std::string, std::less<>> params) {
    AuthorizeRequest request;
    request.params = std::move(params);
    return request;
}

// Sources that say what they were asked, and a user 1 who is the admin of organization 7.
ClaimSources sources(int* calls = nullptr) {
    ClaimSources out;
    out.scopes.push_back(
        {"plan", {"plan"}, [calls](const ClaimRequest& r) -> Result<nlohmann::json> {
             if (calls != nullptr) {
                 ++*calls;
             }
             return nlohmann::json{{"plan", r.org_id ? "org-plan" : "own-plan"},
                                   {"target", std::string(claim_target_name(r.target))},
                                   {"sub", "forged"}};
         }});
    out.scopes.push_back({"broken", {"x"}, [](const ClaimRequest&) -> Result<nlohmann::json> {
                              return fail(ErrorCode::temporarily_unavailable, "down");
                          }});
    out.api_scopes = {"billing:pay", "plan"};
    out.org_roles = [](std::int64_t user, std::int64_t org) -> Result<std::optional<std::string>> {
        if (user == 1 && org == 7) {
            return std::optional<std::string>("admin");
        }
        return std::optional<std::string>();
    };
    return out;
}

TEST(OrgScope, OnlyTheCanonicalFormNamesAnOrganization) {
    EXPECT_EQ(org_scope_id("org:7"), 7);
    EXPECT_EQ(org_scope_id("org:9223372036854775807"), 9223372036854775807);
    for (const char* other : {"org:", "org:0", "org:07", "org:-7", "org:+7", "org:7x", "org: 7",
                              "orgs", "org:99999999999999999999", "xorg:7"}) {
        EXPECT_FALSE(org_scope_id(other)) << other;
    }
    EXPECT_EQ(org_scope_ids({"openid", "org:3", "plan"}), std::vector<std::int64_t>{3});
}

TEST(OrgScope, AllowedToClientsOfOrgsOneAtATime) {
    Client client;
    client.scopes = {"openid", "orgs"};
    auto one = check_scope(client, request_of({{"scope", "openid org:7"}}));
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, (std::vector<std::string>{"openid", "org:7"}));
    auto two = check_scope(client, request_of({{"scope", "openid org:7 org:8"}}));
    ASSERT_FALSE(two);
    EXPECT_EQ(two.error().code, ErrorCode::invalid_scope);
    // No scope at all: the client's registered ones, never an organization.
    EXPECT_EQ(*check_scope(client, request_of({})), client.scopes);
    client.scopes = {"openid"};
    EXPECT_FALSE(check_scope(client, request_of({{"scope", "openid org:7"}})));
}

TEST(TokenClaims, OnlyGrantedScopesAskTheirSource) {
    int calls = 0;
    TokenClaims claims(sources(&calls), {});
    auto none = claims.extra(1, {"openid"}, ClaimTarget::userinfo, TokenClaims::OrgGone::refuse);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    EXPECT_EQ(calls, 0);
    auto plan = claims.extra(1, {"openid", "plan"}, ClaimTarget::access_token,
                             TokenClaims::OrgGone::refuse);
    ASSERT_TRUE(plan);
    EXPECT_EQ((*plan)["plan"], "own-plan");
    EXPECT_EQ((*plan)["target"], "access_token");
    EXPECT_EQ(calls, 1);
    // A failing source fails the answer rather than dropping its claims silently.
    auto broken = claims.extra(1, {"broken"}, ClaimTarget::userinfo, TokenClaims::OrgGone::refuse);
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().code, ErrorCode::temporarily_unavailable);
}

TEST(TokenClaims, AnOrganizationScopeAddsItsRoleOrIsRefused) {
    TokenClaims claims(sources(), {});
    auto member =
        claims.extra(1, {"plan", "org:7"}, ClaimTarget::id_token, TokenClaims::OrgGone::refuse);
    ASSERT_TRUE(member);
    EXPECT_EQ((*member)["org_id"], 7);
    EXPECT_EQ((*member)["org_role"], "admin");
    EXPECT_EQ((*member)["plan"], "org-plan");
    auto refused =
        claims.extra(2, {"plan", "org:7"}, ClaimTarget::id_token, TokenClaims::OrgGone::refuse);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_grant);
    auto omitted =
        claims.extra(2, {"plan", "org:7"}, ClaimTarget::introspection, TokenClaims::OrgGone::omit);
    ASSERT_TRUE(omitted);
    EXPECT_TRUE(omitted->empty());  // not even the personal plan
    EXPECT_TRUE(claims.check_member(1, {"org:7"}));
    EXPECT_FALSE(claims.check_member(1, {"org:8"}));
}

TEST(TokenClaims, WithoutAnOrganizationLookUpNobodyIsAMember) {
    TokenClaims claims({}, {});
    EXPECT_FALSE(claims.role_in(1, 7).value());
    EXPECT_TRUE(claims.claim_names().empty());
}

TEST(TokenClaims, MergingNeverReplacesAClaim) {
    nlohmann::json body{{"sub", "1"}, {"iss", "https://id.example.com"}};
    merge_claims(body, {{"sub", "forged"}, {"plan", "pro-8x"}});
    EXPECT_EQ(body["sub"], "1");
    EXPECT_EQ(body["plan"], "pro-8x");
}

TEST(TokenClaims, DiscoveryNamesTheScopesAndClaimsOnce) {
    TokenClaims claims(sources(), {});
    EXPECT_EQ(claims.scopes(), (std::vector<std::string>{"plan", "broken", "billing:pay"}));
    EXPECT_EQ(claims.claim_names(), (std::vector<std::string>{"org_id", "org_role", "plan", "x"}));
}

TEST(TokenClaims, TheIdTokenGetsTheRequestedStandardClaimsOfGrantedScopes) {
    UserProfileLookup users = [](std::int64_t) -> Result<std::optional<UserProfile>> {
        return std::optional(UserProfile{"alice", "Alice", 17, "alice@example.com", true});
    };
    TokenClaims claims({}, users);
    auto id = claims.for_id_token(1, {"openid", "email"}, "email email_verified name");
    ASSERT_TRUE(id);
    EXPECT_EQ((*id)["email"], "alice@example.com");
    EXPECT_EQ((*id)["email_verified"], true);
    EXPECT_FALSE(id->contains("name"));  // profile was not granted
    EXPECT_TRUE(claims.for_id_token(1, {"openid", "email"}, "")->empty());
}

TEST(ClaimsParameter, NamesTheKnownIdTokenClaims) {
    auto names = check_claims(request_of(
        {{"claims", R"({"id_token":{"email":null,"acr":{"essential":true},"shoe_size":null,)"
                    R"("name":{"essential":true}},"userinfo":{"email":null}})"}}));
    ASSERT_TRUE(names);
    EXPECT_EQ(*names, "email name");
    EXPECT_EQ(check_claims(request_of({})).value(), "");
    EXPECT_EQ(check_claims(request_of({{"claims", R"({"unknown_member":1})"}})).value(), "");
}

TEST(ClaimsParameter, AMalformedOneIsInvalidRequest) {
    for (const char* bad : {"[]", "not json", R"({"id_token":5})", R"({"userinfo":[]})",
                            R"({"id_token":{"email":true}})", R"({"userinfo":{"email":"x"}})"}) {
        auto r = check_claims(request_of({{"claims", bad}}));
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::invalid_request) << bad;
    }
    EXPECT_FALSE(check_claims(request_of({{"claims", std::string(5000, ' ')}})));
}

TEST(StandardClaims, FollowTheScopes) {
    const UserProfile profile{"alice", "Alice", 17, std::nullopt, false};
    EXPECT_TRUE(standard_claims(profile, {"openid"}).empty());
    auto with_profile = standard_claims(profile, {"profile", "email"});
    EXPECT_EQ(with_profile["preferred_username"], "alice");
    EXPECT_FALSE(with_profile.contains("email"));  // no address
    EXPECT_TRUE(is_requestable_claim("email"));
    EXPECT_FALSE(is_requestable_claim("balance"));
}

TEST(StandardClaims, PhoneAndPictureFollowTheirScopes) {
    UserProfile profile{"bob", "Bob", 17, std::nullopt, false};
    profile.phone_number = "+8613800138000";
    profile.phone_number_verified = true;
    profile.picture = "https://id.example/avatars/7";
    EXPECT_FALSE(standard_claims(profile, {"profile"}).contains("phone_number"));
    auto with_phone = standard_claims(profile, {"phone"});
    EXPECT_EQ(with_phone["phone_number"], "+8613800138000");
    EXPECT_EQ(with_phone["phone_number_verified"], true);
    EXPECT_FALSE(with_phone.contains("picture"));
    EXPECT_EQ(standard_claims(profile, {"profile"})["picture"], "https://id.example/avatars/7");
    EXPECT_TRUE(is_requestable_claim("phone_number"));
    EXPECT_TRUE(is_requestable_claim("picture"));
}

}  // namespace
}  // namespace idpd::oidc
