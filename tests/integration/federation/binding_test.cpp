#include <gtest/gtest.h>

#include "integration/federation/federation_fixture.h"

namespace idpd::testing_support {
namespace {

std::int64_t binding_id(store::Database& db, std::int64_t user_id, const std::string& provider) {
    federation::BindingStore bindings{db};
    const auto list = bindings.list(user_id);
    for (const auto& b : list.value()) {
        if (b.provider == provider) {
            return b.id;
        }
    }
    return 0;
}

TEST_F(FederationTest, BindWeChatAndQqThenSignInWithEach) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    const auto id = user_id_of("octocat");
    EXPECT_EQ(upstream_login(b, "wechat", "/account", "bind").headers.get("Location").value_or(""),
              "/account/bindings?bound=wechat");
    EXPECT_EQ(upstream_login(b, "qq", "/account", "bind").headers.get("Location").value_or(""),
              "/account/bindings?bound=qq");
    auto account = b.get("/account/bindings");
    EXPECT_NE(account.body.find("data-binding=\"wechat\""), std::string::npos);
    EXPECT_NE(account.body.find("data-binding=\"qq\""), std::string::npos);
    federation::BindingStore bindings{*db_};
    EXPECT_EQ(bindings.list(id)->size(), 3u);
    for (const std::string provider : {"wechat", "qq", "github"}) {
        Browser fresh(*app_);
        auto r = upstream_login(fresh, provider);
        EXPECT_EQ(r.headers.get("Location").value_or(""), "/account") << provider;
        EXPECT_NE(fresh.get("/account").body.find("octocat"), std::string::npos) << provider;
    }
}

TEST_F(FederationTest, FirstWeChatBindingRecordsOneBonusEvent) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    const auto id = user_id_of("octocat");
    federation::BindingStore bindings{*db_};
    EXPECT_EQ(*bindings.bonus_events(id, federation::wechat_bonus_kind), 0);
    upstream_login(b, "wechat", "/account", "bind");
    EXPECT_EQ(*bindings.bonus_events(id, federation::wechat_bonus_kind), 1);
    // Unbind and bind again: still one.
    auto unbind = b.submit(
        "/account",
        "/account/bindings/" + std::to_string(binding_id(*db_, id, "wechat")) + "/unbind", {});
    EXPECT_EQ(unbind.status, 303);
    upstream_login(b, "wechat", "/account", "bind");
    EXPECT_EQ(*bindings.bonus_events(id, federation::wechat_bonus_kind), 1);
    EXPECT_EQ(*bindings.bonus_events(id, "qq_first_binding"), 0);
}

TEST_F(FederationTest, AnIdentityBoundElsewhereCannotBeBoundAgain) {
    Browser first(*app_);
    ASSERT_EQ(sign_up_with(first, "github", "octocat", "octocat@github.example").status, 303);
    upstream_login(first, "wechat", "/account", "bind");
    fake_user("github", {{"id", 2}, {"login", "second"}, {"emails", nlohmann::json::array()}});
    Browser second(*app_);
    ASSERT_EQ(sign_up_with(second, "github", "second", "second@example.com").status, 303);
    auto refused = upstream_login(second, "wechat", "/account", "bind");
    EXPECT_EQ(refused.status, 409);
    federation::BindingStore bindings{*db_};
    EXPECT_EQ(bindings.list(user_id_of("second"))->size(), 1u);
    EXPECT_EQ(bindings.list(user_id_of("octocat"))->size(), 2u);
}

TEST_F(FederationTest, GitHubAndBitbucketWithTheSameIdAreDifferentIdentities) {
    fake_user("bitbucket", {{"uuid", "583231"},
                            {"account_id", "x"},
                            {"username", "bb"},
                            {"display_name", "BB"},
                            {"emails", nlohmann::json::array()}});
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    Browser other(*app_);
    // Bitbucket "583231" is nobody's yet: the choice page, not octocat's session.
    EXPECT_EQ(upstream_login(other, "bitbucket").headers.get("Location").value_or(""),
              "/federation/continue");
}

TEST_F(FederationTest, TheLastWayToSignInCannotBeUnbound) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    const auto id = user_id_of("octocat");
    const auto github = binding_id(*db_, id, "github");
    auto refused =
        b.submit("/account", "/account/bindings/" + std::to_string(github) + "/unbind", {});
    EXPECT_EQ(refused.status, 409);
    upstream_login(b, "qq", "/account", "bind");
    auto allowed =
        b.submit("/account", "/account/bindings/" + std::to_string(github) + "/unbind", {});
    EXPECT_EQ(allowed.status, 303);
    const auto qq = binding_id(*db_, id, "qq");
    EXPECT_EQ(
        b.submit("/account", "/account/bindings/" + std::to_string(qq) + "/unbind", {}).status,
        409);
    federation::BindingStore bindings{*db_};
    EXPECT_EQ(bindings.list(id)->size(), 1u);
    // Someone else's binding id is not found for this account.
    EXPECT_EQ(b.submit("/account", "/account/bindings/999999/unbind", {}).status, 404);
}

TEST_F(FederationTest, WeChatAccountBoundByOpenidIsFoundWhenItsUnionidAppears) {
    fake_user("wechat", {{"openid", "o-only-openid"}, {"nickname", "老用户"}});
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "wechat", "laoyonghu", "lao@example.com").status, 303);
    const auto id = user_id_of("laoyonghu");
    ASSERT_GT(id, 0);
    // The website app joins an Open Platform account: WeChat now sends a unionid as well.
    fake_user("wechat",
              {{"openid", "o-only-openid"}, {"unionid", "u-new-unionid"}, {"nickname", "老用户"}});
    Browser later(*app_);
    EXPECT_EQ(upstream_login(later, "wechat").headers.get("Location").value_or(""), "/account");
    federation::BindingStore bindings{*db_};
    auto list = bindings.list(id);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().subject, "u-new-unionid");
}

TEST_F(FederationTest, WeChatRefusalAndErrcodeAnswersBecomePages) {
    Browser b(*app_);
    fake_mode("wechat", "deny");  // back with the state and no code
    EXPECT_EQ(upstream_login(b, "wechat").status, 403);
    fake_mode("wechat", "expire_code");  // {"errcode":40029,"errmsg":"invalid code"}
    EXPECT_EQ(upstream_login(b, "wechat").status, 502);
    fake_mode("wechat", "api_error");  // {"errcode":-1,"errmsg":"system error"}
    EXPECT_EQ(upstream_login(b, "wechat").status, 502);
    EXPECT_EQ(b.get("/account").status, 303);
}

TEST_F(FederationTest, QqJsonpErrorsAndRefusalBecomePages) {
    Browser b(*app_);
    fake_mode("qq", "deny");
    EXPECT_EQ(upstream_login(b, "qq").status, 403);
    fake_mode("qq", "expire_code");  // callback( {"error":100020,…} );
    EXPECT_EQ(upstream_login(b, "qq").status, 502);
    fake_mode("qq", "api_error");  // {"ret":1002,"msg":"请先登录"}
    EXPECT_EQ(upstream_login(b, "qq").status, 502);
    fake_mode("qq", "normal");
    EXPECT_EQ(upstream_login(b, "qq").headers.get("Location").value_or(""), "/federation/continue");
    auto page = b.get("/federation/continue");
    EXPECT_EQ(Browser::input_value(page.body, "username"), "QQ用户");
}

TEST_F(FederationTest, BitbucketSignUpUsesTheConfirmedPrimaryEmail) {
    Browser b(*app_);
    ASSERT_EQ(upstream_login(b, "bitbucket").headers.get("Location").value_or(""),
              "/federation/continue");
    auto page = b.get("/federation/continue");
    EXPECT_EQ(Browser::input_value(page.body, "email"), "bb@bitbucket.example");
    auto sent = last_authorize("bitbucket");
    EXPECT_EQ(sent["code_challenge_method"], "S256");
    fake_mode("bitbucket", "expire_code");  // HTTP 400 {"error":"invalid_grant"}
    Browser c(*app_);
    EXPECT_EQ(upstream_login(c, "bitbucket").status, 502);
}

TEST_F(FederationTest, BindingNeedsTheAccountItWasStartedFrom) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    auto form = b.get("/account");
    auto started = b.post("/federation/wechat/start",
                          {{"csrf", Browser::csrf_of(form.body)}, {"intent", "bind"}});
    auto callback = through_upstream(started.headers.get("Location").value_or(""));
    b.submit("/account", "/signout", {});
    EXPECT_EQ(b.get(callback).status, 403);
}

TEST_F(FederationTest, UnbindingWaitsForARecentStepUp) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    const auto id = user_id_of("octocat");
    upstream_login(b, "qq", "/account", "bind");
    const std::string csrf = Browser::csrf_of(b.get("/account/bindings").body);
    advance(std::chrono::minutes(10));  // past totp.step_up_window (5m) since the sign-in
    const auto qq = binding_id(*db_, id, "qq");
    auto gated = b.post("/account/bindings/" + std::to_string(qq) + "/unbind", {{"csrf", csrf}});
    EXPECT_EQ(gated.status, 303);
    EXPECT_EQ(gated.headers.get("Location").value_or(""),
              "/account/verify?return_to=%2Faccount%2Fbindings");
    federation::BindingStore bindings{*db_};
    EXPECT_EQ(bindings.list(id)->size(), 2u);
}

}  // namespace
}  // namespace idpd::testing_support
