#include <gtest/gtest.h>

#include "account/user_store.h"
#include "integration/federation/federation_fixture.h"

namespace idpd::testing_support {
namespace {

TEST_F(FederationTest, SignInPageShowsAButtonPerConfiguredUpstream) {
    Browser b(*app_);
    auto page = b.get("/signin");
    EXPECT_NE(page.body.find("action=\"/federation/github/start\""), std::string::npos);
    auto signup = b.get("/signup");
    EXPECT_NE(signup.body.find("action=\"/federation/github/start\""), std::string::npos);
    EXPECT_NE(page.body.find("Corp SSO"), std::string::npos);
}

TEST_F(FederationTest, UnconfiguredUpstreamsShowNoButton) {
    config_.federation.upstream["oidc_client_id"] = "";
    start_app();
    Browser b(*app_);
    auto page = b.get("/signin");
    EXPECT_EQ(page.body.find("/federation/oidc/start"), std::string::npos);
    EXPECT_NE(page.body.find("/federation/github/start"), std::string::npos);
}

TEST_F(FederationTest, GitHubAuthorizationRequestCarriesStateAndPkce) {
    Browser b(*app_);
    upstream_login(b, "github");
    auto sent = last_authorize("github");
    EXPECT_EQ(sent["client_id"], "fake-github-id");
    EXPECT_EQ(sent["redirect_uri"], "http://localhost:8080/federation/github/callback");
    EXPECT_EQ(sent["code_challenge_method"], "S256");
    EXPECT_EQ(sent["code_challenge"].get<std::string>().size(), 43u);
    EXPECT_EQ(sent["state"].get<std::string>().size(), 64u);
    EXPECT_EQ(sent["scope"], "read:user user:email");
}

TEST_F(FederationTest, SignUpWithGitHubThenSignInAgainWithIt) {
    Browser b(*app_);
    auto r = upstream_login(b, "github");
    ASSERT_EQ(r.headers.get("Location").value_or(""), "/federation/continue");
    auto page = b.get("/federation/continue");
    EXPECT_EQ(page.status, 200);
    // Prefilled from GitHub: the login and the primary verified address.
    EXPECT_EQ(Browser::input_value(page.body, "username"), "octocat");
    EXPECT_EQ(Browser::input_value(page.body, "email"), "octocat@github.example");
    auto created = b.submit("/federation/continue", "/federation/continue",
                            {{"action", "create"},
                             {"username", "octocat"},
                             {"email", "octocat@github.example"},
                             {"accept_terms", "1"}});
    ASSERT_EQ(created.status, 303) << created.body;
    EXPECT_EQ(created.headers.get("Location").value_or(""), "/account");
    auto account = b.get("/account/bindings");
    EXPECT_EQ(account.status, 200);
    EXPECT_NE(account.body.find("data-binding=\"github\""), std::string::npos);
    // GitHub marked the address verified: it counts as verified here.
    account::UserStore users{*db_};
    auto emails = users.emails(user_id_of("octocat"));
    ASSERT_TRUE(emails && emails->size() == 1);
    EXPECT_TRUE(emails->front().is_verified());

    Browser other(*app_);
    auto again = upstream_login(other, "github");
    EXPECT_EQ(again.status, 303);
    EXPECT_EQ(again.headers.get("Location").value_or(""), "/account");
    EXPECT_EQ(other.get("/account").status, 200);
}

TEST_F(FederationTest, UnverifiedUpstreamEmailStaysUnverified) {
    fake_user("github",
              {{"id", 77},
               {"login", "newbie"},
               {"name", "New"},
               {"emails", {{{"email", "n@example.com"}, {"primary", true}, {"verified", false}}}}});
    Browser b(*app_);
    auto created = sign_up_with(b, "github", "newbie", "n@example.com");
    ASSERT_EQ(created.status, 303) << created.body;
    account::UserStore users{*db_};
    auto emails = users.emails(user_id_of("newbie"));
    ASSERT_TRUE(emails && emails->size() == 1);
    EXPECT_FALSE(emails->front().is_verified());
}

TEST_F(FederationTest, MatchingEmailNeverLinksSilently) {
    Browser alice(*app_);
    account::UserStore users{*db_};
    auto name = account::check_username("alice");
    auto made = users.create({*name, "alice", std::string("$argon2id$fake")}, {});
    ASSERT_TRUE(made);
    ASSERT_TRUE(
        users.add_email(made->id, *account::parse_email_address("octocat@github.example"), {}));
    ASSERT_TRUE(users.mark_email_verified(
        made->id, *account::parse_email_address("octocat@github.example"), {}));
    auto r = upstream_login(alice, "github");
    // No session, no link: the choice page.
    EXPECT_EQ(r.headers.get("Location").value_or(""), "/federation/continue");
    EXPECT_EQ(alice.get("/account").status, 303);
    federation::BindingStore bindings{*db_};
    EXPECT_TRUE(bindings.list(made->id)->empty());
}

TEST_F(FederationTest, DeniedAuthorizationShowsAPageAndSignsNobodyIn) {
    fake_mode("github", "deny");
    Browser b(*app_);
    auto r = upstream_login(b, "github");
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("GitHub"), std::string::npos);
    EXPECT_EQ(b.get("/account").status, 303);
}

TEST_F(FederationTest, ExpiredCodeAndApiErrorsBecomeClearPages) {
    Browser b(*app_);
    fake_mode("github", "expire_code");
    EXPECT_EQ(upstream_login(b, "github").status, 502);
    fake_mode("github", "api_error");
    EXPECT_EQ(upstream_login(b, "github").status, 502);
    fake_mode("github", "server_error");
    EXPECT_EQ(upstream_login(b, "github").status, 502);
    EXPECT_EQ(b.get("/account").status, 303);
}

TEST_F(FederationTest, ReplayedStateIsRefused) {
    Browser b(*app_);
    auto form = b.get("/signin");
    auto started = b.post("/federation/github/start",
                          {{"csrf", Browser::csrf_of(form.body)}, {"intent", "sign_in"}});
    auto callback = through_upstream(started.headers.get("Location").value_or(""));
    EXPECT_EQ(b.get(callback).status, 303);
    auto replay = b.get(callback);
    EXPECT_EQ(replay.status, 400);
}

TEST_F(FederationTest, StateFromAnotherBrowserOrForgedIsRefused) {
    Browser victim(*app_);
    Browser attacker(*app_);
    auto form = attacker.get("/signin");
    auto started = attacker.post("/federation/github/start",
                                 {{"csrf", Browser::csrf_of(form.body)}, {"intent", "sign_in"}});
    auto callback = through_upstream(started.headers.get("Location").value_or(""));
    // Login CSRF: the attacker's callback URL opened in the victim's browser.
    victim.get("/signin");
    EXPECT_EQ(victim.get(callback).status, 400);
    EXPECT_EQ(
        attacker.get("/federation/github/callback?code=x&state=" + std::string(64, 'a')).status,
        400);
    EXPECT_EQ(attacker.get("/federation/github/callback?code=x").status, 400);
}

TEST_F(FederationTest, StartNeedsTheFormToken) {
    Browser b(*app_);
    b.get("/signin");
    EXPECT_EQ(b.post("/federation/github/start", {{"intent", "sign_in"}}).status, 403);
    auto form = b.get("/signin");
    EXPECT_EQ(b.post("/federation/nope/start", {{"csrf", Browser::csrf_of(form.body)}}).status,
              404);
}

TEST_F(FederationTest, ExistingAccountBindsAfterSigningInAndConfirming) {
    const std::string password = "correct horse battery staple 42";
    Browser b(*app_);
    auto made = b.submit("/signup", "/signup",
                         {{"username", "carol"},
                          {"email", "carol@example.com"},
                          {"password", password},
                          {"confirm", password},
                          {"accept_terms", "1"}});
    ASSERT_EQ(made.status, 303) << made.body;
    b.submit("/account", "/signout", {});
    auto r = upstream_login(b, "github");
    ASSERT_EQ(r.headers.get("Location").value_or(""), "/federation/continue");
    auto choice = b.get("/federation/continue");
    EXPECT_NE(choice.body.find("id=\"signin-to-link\""), std::string::npos);
    auto signed_in = b.submit(
        "/signin", "/signin",
        {{"identifier", "carol"}, {"password", password}, {"return_to", "/federation/continue"}});
    ASSERT_EQ(signed_in.headers.get("Location").value_or(""), "/federation/continue");
    // Signed in: the page asks to confirm; nothing is bound before that.
    federation::BindingStore bindings{*db_};
    EXPECT_TRUE(bindings.list(user_id_of("carol"))->empty());
    auto confirm = b.submit("/federation/continue", "/federation/continue", {{"action", "link"}});
    ASSERT_EQ(confirm.status, 303) << confirm.body;
    ASSERT_EQ(bindings.list(user_id_of("carol"))->size(), 1u);
    // From now on GitHub signs in to carol.
    Browser other(*app_);
    EXPECT_EQ(upstream_login(other, "github").headers.get("Location").value_or(""), "/account");
    EXPECT_NE(other.get("/account").body.find("carol"), std::string::npos);
}

}  // namespace
}  // namespace idpd::testing_support
