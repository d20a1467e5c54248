#include "app/janitor.h"

#include "account/user_store.h"
#include "account/username_rules.h"
#include "auth/random_source.h"
#include "auth/session_store.h"
#include "integration/app_fixture.h"
#include "oidc/access_token_store.h"
#include "oidc/client_store.h"
#include "oidc/dpop.h"
#include "oidc/pushed_request_store.h"
#include "oidc/refresh_token_store.h"
#include "oidc/session_client_store.h"

namespace idpd::testing_support {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::sys_seconds;

using JanitorTest = AppTest;

TEST_F(JanitorTest, SweepsEndedSessionsAndExpiredRevocationsButKeepsLiveOnes) {
    const sys_seconds start{std::chrono::seconds(1'800'000'000)};
    account::UserStore users(*db_);
    auto name = account::check_username("janitor");
    ASSERT_TRUE(name);
    auto user = users.create(account::NewUser{*name, "Janitor", std::nullopt}, start);
    ASSERT_TRUE(user) << user.error().message;

    auth::SessionStore sessions(*db_, auth::system_random());
    auto old_session =
        sessions.create(auth::NewSession{user->id, "198.51.100.1", "ua", "pwd"}, start);
    ASSERT_TRUE(old_session);
    ASSERT_TRUE(sessions.revoke(old_session->token, start));
    auto live =
        sessions.create(auth::NewSession{user->id, "198.51.100.2", "ua", "pwd"}, start + days(2));
    ASSERT_TRUE(live);

    oidc::AccessTokenStore tokens(*db_);
    const std::int64_t expires_at = (start + hours(1)).time_since_epoch().count();
    ASSERT_TRUE(tokens.revoke_jti("jti-old", "client", expires_at));
    ASSERT_TRUE(tokens.is_jti_revoked("jti-old").value_or(false));

    app::Janitor janitor(
        *db_, [&] { return start + days(2) + hours(1); }, std::chrono::hours(1));
    auto report = janitor.sweep();
    EXPECT_EQ(report.sessions, 1u);
    EXPECT_EQ(report.access_tokens, 1u);
    EXPECT_FALSE(tokens.is_jti_revoked("jti-old").value_or(true));
    // The live session is untouched and still signs the browser in.
    EXPECT_TRUE(sessions.find(live->token, start + days(2) + hours(1)));
    // A second sweep finds nothing more.
    auto again = janitor.sweep();
    EXPECT_EQ(again.sessions + again.access_tokens + again.authorization_codes, 0u);
}

TEST_F(JanitorTest, SweepsExpiredRefreshTokensFamiliesAndDpopProofs) {
    const std::int64_t t0 = 1'800'000'000;
    oidc::Client client;
    client.client_id = "app";
    client.name = "app";
    client.created_at = t0;
    ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    oidc::RefreshTokenStore refresh(*db_);
    auto family_expiring_at = [&](const std::string& id, std::int64_t expires_at) {
        oidc::RefreshFamily family;
        family.family_id = id;
        family.client_id = "app";
        family.subject = "1";
        family.scope = "offline_access";
        family.created_at = t0;
        family.expires_at = expires_at;
        oidc::NewRefreshToken token;
        token.value = "rt-" + id;
        token.issued_at = t0;
        token.expires_at = std::min(t0 + 100, expires_at);
        ASSERT_TRUE(refresh.start_family(family, token));
    };
    family_expiring_at("old", t0 + 50);
    family_expiring_at("live", t0 + 1000);
    oidc::DpopReplayCache proofs(*db_);
    ASSERT_TRUE(proofs.remember("jkt", "old", t0 + 60));
    ASSERT_TRUE(proofs.remember("jkt", "live", t0 + 1000));

    app::Janitor janitor(
        *db_, [&] { return sys_seconds{std::chrono::seconds(t0 + 200)}; }, std::chrono::hours(1));
    auto report = janitor.sweep();
    // The old family and its token; the live family's token is past its idle expiry.
    EXPECT_EQ(report.refresh_tokens, 3u);
    EXPECT_EQ(report.dpop_proofs, 1u);
    EXPECT_FALSE(refresh.find("rt-old"));
    EXPECT_FALSE(refresh.find("rt-live"));
    EXPECT_FALSE(proofs.remember("jkt", "live", t0 + 1000).value_or(true));  // still remembered
}

TEST_F(JanitorTest, StopEndsTheThreadPromptly) {
    app::Janitor janitor(*db_, std::chrono::system_clock::now, std::chrono::hours(1));
    janitor.start();
    auto before = std::chrono::steady_clock::now();
    janitor.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
}

TEST_F(JanitorTest, SweepsExpiredPushedRequestsAndSessionClientsOlderThanAnySession) {
    const std::int64_t now = 1'800'000'000;
    oidc::Client client;
    client.client_id = "app";
    client.name = "app";
    ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    oidc::PushedRequestStore pushed(*db_);
    ASSERT_TRUE(pushed.add("old", {"app", {{"scope", "openid"}}, now - 120, now - 60}));
    ASSERT_TRUE(pushed.add("live", {"app", {{"scope", "openid"}}, now - 10, now + 50}));
    oidc::SessionClientStore session_clients(*db_);
    ASSERT_TRUE(session_clients.add({"1", "app", "7", now - 31 * 24 * 3600}));
    ASSERT_TRUE(session_clients.add({"2", "app", "7", now - 29 * 24 * 3600}));

    app::Janitor janitor(
        *db_, [&] { return sys_seconds{std::chrono::seconds(now)}; }, hours(1),
        auth::ThrottleOptions{}, days(30));
    auto report = janitor.sweep();
    EXPECT_EQ(report.pushed_requests, 1u);
    EXPECT_EQ(report.session_clients, 1u);
    EXPECT_TRUE(pushed.find("live"));
    EXPECT_FALSE(pushed.find("old"));
    EXPECT_TRUE(session_clients.take("1")->empty());
    EXPECT_EQ(session_clients.take("2")->size(), 1u);
}

}  // namespace
}  // namespace idpd::testing_support
