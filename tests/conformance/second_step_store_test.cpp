// The second step's storage on every backend: a pending login is found only while unfinished
// and unexpired and finishes exactly once (also under a race); a trusted browser is trusted
// only for its own user and until it expires; a session records its second factor and its
// password re-check; an authorization code keeps its acr (schema 0030).
#include <atomic>
#include <chrono>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "auth/pending_login_store.h"
#include "auth/session_store.h"
#include "auth/trusted_browser_store.h"
#include "conformance/backend.h"
#include "oidc/authorization_code_store.h"
#include "oidc/client_store.h"

namespace idpd::conformance {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

// Counts up, so every token differs; safe to share between threads.
class SteppingRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        const int call = ++calls_;
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<std::uint8_t>(call * 37 + i * 3);
        }
    }

private:
    std::atomic<int> calls_{0};
};

std::int64_t add_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

TEST_P(StoreTest, PendingLoginIsFoundUntilItExpiresOrIsFinishedOnce) {
    SteppingRandom random;
    auth::PendingLoginStore pending{*db_, random};
    const auto user = add_user(*db_, "alice");
    auto token = pending.create({user, "pwd", "/authorize?x=1", true, {}, {}}, t0, minutes(5));
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(token->size(), 64u);
    auto found = pending.find(*token, t0 + seconds(10));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, user);
    EXPECT_EQ(found->amr, "pwd");
    EXPECT_EQ(found->return_to, "/authorize?x=1");
    EXPECT_TRUE(found->persistent);
    EXPECT_EQ(pending.find(*token, t0 + minutes(5)).error().kind, store::Error::Kind::not_found);
    EXPECT_EQ(pending.finish(*token, t0 + minutes(5)), false) << "expired";
    EXPECT_EQ(pending.finish(*token, t0 + seconds(20)), true);
    EXPECT_EQ(pending.finish(*token, t0 + seconds(21)), false) << "single-use";
    EXPECT_FALSE(pending.find(*token, t0 + seconds(22)));
    EXPECT_FALSE(pending.find("not-a-token", t0));
    EXPECT_EQ(pending.delete_expired(t0 + minutes(6)), 1u);
}

TEST_P(StoreTest, PendingLoginRacedByEightThreadsFinishesOnce) {
    SteppingRandom random;
    auth::PendingLoginStore pending{*db_, random};
    const auto user = add_user(*db_, "alice");
    const auto token = pending.create({user, "pwd", "", false, {}, {}}, t0, minutes(5)).value();
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            auto finished = pending.finish(token, t0 + seconds(1));
            if (finished && *finished) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
}

TEST_P(StoreTest, TrustedBrowserIsTrustedForItsUserUntilItExpires) {
    SteppingRandom random;
    auth::TrustedBrowserStore trusted{*db_, random};
    const auto alice = add_user(*db_, "alice");
    const auto bob = add_user(*db_, "bobby");
    auto token = trusted.trust(alice, t0, std::chrono::hours(24 * 30));
    ASSERT_TRUE(token);
    EXPECT_EQ(trusted.is_trusted(*token, alice, t0 + minutes(1)), true);
    EXPECT_EQ(trusted.is_trusted(*token, bob, t0 + minutes(1)), false);
    EXPECT_EQ(trusted.is_trusted(*token, alice, t0 + std::chrono::hours(24 * 30)), false);
    EXPECT_EQ(trusted.is_trusted("forged", alice, t0), false);
    ASSERT_TRUE(trusted.forget_all(alice));
    EXPECT_EQ(trusted.is_trusted(*token, alice, t0 + minutes(2)), false);
}

TEST_P(StoreTest, SessionRecordsItsSecondFactorAndPasswordRecheck) {
    SteppingRandom random;
    auth::SessionStore sessions{*db_, random};
    const auto user = add_user(*db_, "alice");
    auto plain = sessions.create({user, "198.51.100.1", "ua", "pwd", false, false}, t0);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->session.mfa_at);
    auto stepped = sessions.record_second_factor(plain->session.id, "pwd otp mfa", t0 + seconds(5));
    ASSERT_TRUE(stepped);
    ASSERT_TRUE(sessions.record_reauth(plain->session.id, t0 + seconds(6)));
    auto found = sessions.find(plain->token, t0 + seconds(7));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->amr, "pwd otp mfa");
    EXPECT_EQ(found->mfa_at, t0 + seconds(5));
    EXPECT_EQ(found->reauth_at, t0 + seconds(6));
    auto strong = sessions.create({user, "198.51.100.1", "ua", "pwd otp mfa", false, true}, t0);
    ASSERT_TRUE(strong);
    EXPECT_EQ(sessions.find(strong->token, t0 + seconds(1))->mfa_at, t0);
    ASSERT_TRUE(sessions.revoke(plain->token, t0 + seconds(8)));
    EXPECT_EQ(sessions.record_second_factor(plain->session.id, "pwd otp mfa", t0 + seconds(9))
                  .error()
                  .kind,
              store::Error::Kind::not_found);
}

TEST_P(StoreTest, AuthorizationCodeKeepsItsAcr) {
    oidc::Client client;
    client.client_id = "rp";
    client.name = "rp";
    client.redirect_uris = {"https://rp.example/cb"};
    client.created_at = 1;
    ASSERT_TRUE(oidc::ClientStore{*db_}.create(client));
    oidc::AuthorizationCodeStore codes{*db_};
    oidc::AuthorizationCode code;
    code.client_id = "rp";
    code.redirect_uri = "https://rp.example/cb";
    code.scope = "openid";
    code.code_challenge = "x";
    code.user_id = add_user(*db_, "alice");
    code.sid = "1";
    code.amr = "pwd otp mfa";
    code.acr = "https://refeds.org/profile/mfa";
    code.created_at = 1;
    code.expires_at = 61;
    ASSERT_TRUE(codes.add("code-value", code));
    auto found = codes.find("code-value");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->acr, "https://refeds.org/profile/mfa");
    EXPECT_EQ(found->amr, "pwd otp mfa");
}

}  // namespace
}  // namespace idpd::conformance
