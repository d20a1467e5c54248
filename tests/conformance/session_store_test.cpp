// auth::SessionStore on every backend: only the token's hash is stored, idle and absolute
// limits, touch, revoke (by token, by id for its owner only, all but one), listing, cleanup.
#include "auth/session_store.h"

#include <chrono>
#include <span>
#include <string>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using auth::NewSession;
using auth::SessionOptions;
using auth::SessionStore;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using store::Error;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

// Counts up, so every token differs and the test is deterministic.
class CountingRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        ++calls_;
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<std::uint8_t>(calls_ * 31 + i);
        }
    }

private:
    int calls_ = 0;
};

std::int64_t add_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

NewSession login(std::int64_t user_id, bool persistent = false) {
    return NewSession{user_id, "203.0.113.7", "Mozilla/5.0 (X11; Linux) Chrome/120", "pwd",
                      persistent};
}

const SessionOptions options_{hours(2), hours(12), hours(24 * 7), hours(24 * 30), seconds(60)};

TEST_P(StoreTest, SessionStoresOnlyTheTokensHashAndFindsTheSession) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto user = add_user(db(), "alice");
    auto issued = sessions.create(login(user), t0);
    ASSERT_TRUE(issued) << issued.error().message;
    EXPECT_EQ(issued->token.size(), 64u);
    EXPECT_GT(issued->session.id, 0);
    auto rows = db().query("SELECT token_hash FROM sessions", {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), auth::sha256(issued->token));
    EXPECT_EQ(rows->front().text(0).size(), 32u);

    auto found = sessions.find(issued->token, t0 + seconds(1));
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->id, issued->session.id);
    EXPECT_EQ(found->user_id, user);
    EXPECT_EQ(found->ip, "203.0.113.7");
    EXPECT_EQ(found->user_agent, "Mozilla/5.0 (X11; Linux) Chrome/120");
    EXPECT_EQ(found->amr, "pwd");
    EXPECT_EQ(found->auth_time, t0);
    EXPECT_EQ(found->expires_at, t0 + hours(12));
    EXPECT_EQ(found->idle_expires_at, t0 + hours(2));
    EXPECT_FALSE(found->persistent);

    EXPECT_EQ(sessions.find("not-a-token", t0).error().kind, Error::Kind::not_found);
    EXPECT_EQ(sessions.find(std::string(64, 'a'), t0).error().kind, Error::Kind::not_found);
    EXPECT_EQ(sessions.find(auth::to_hex(auth::sha256(issued->token)), t0).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, SessionEveryCreateGetsANewToken) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto user = add_user(db(), "alice");
    auto a = sessions.create(login(user), t0);
    auto b = sessions.create(login(user), t0);
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->token, b->token);
    EXPECT_NE(a->session.id, b->session.id);
}

TEST_P(StoreTest, SessionIdleLimitMovesWhenSeenButNeverPastTheAbsoluteLimit) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    auto issued = sessions.create(login(add_user(db(), "alice")), t0);
    ASSERT_TRUE(issued);
    // Seen every 90 minutes: the 2-hour idle limit keeps moving.
    auto t = t0;
    for (int i = 0; i < 7; ++i) {
        t += minutes(90);
        auto found = sessions.find(issued->token, t);
        ASSERT_TRUE(found) << "at step " << i;
        EXPECT_EQ(found->last_seen_at, t);
        EXPECT_EQ(found->idle_expires_at, std::min(t + hours(2), t0 + hours(12)));
    }
    // t0 + 10.5h: the absolute limit (12h) ends it even though it was just seen.
    EXPECT_TRUE(sessions.find(issued->token, t0 + hours(11)));
    EXPECT_EQ(sessions.find(issued->token, t0 + hours(12)).error().kind, Error::Kind::not_found);
}

TEST_P(StoreTest, SessionIdleSessionEnds) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    auto issued = sessions.create(login(add_user(db(), "alice")), t0);
    ASSERT_TRUE(issued);
    EXPECT_TRUE(sessions.find(issued->token, t0 + hours(2) - seconds(1)));
    // That read touched it: idle now ends at t0 + 4h - 1s.
    EXPECT_TRUE(sessions.find(issued->token, t0 + hours(4) - seconds(2)));
    EXPECT_EQ(sessions.find(issued->token, t0 + hours(7)).error().kind, Error::Kind::not_found);
}

TEST_P(StoreTest, SessionTouchIsWrittenAtMostOncePerInterval) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    auto issued = sessions.create(login(add_user(db(), "alice")), t0);
    ASSERT_TRUE(issued);
    auto found = sessions.find(issued->token, t0 + seconds(30));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->last_seen_at, t0);
    found = sessions.find(issued->token, t0 + seconds(61));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->last_seen_at, t0 + seconds(61));
}

TEST_P(StoreTest, SessionKeepMeSignedInUsesTheLongLimits) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    auto issued = sessions.create(login(add_user(db(), "alice"), true), t0);
    ASSERT_TRUE(issued);
    EXPECT_TRUE(issued->session.persistent);
    EXPECT_EQ(issued->session.expires_at, t0 + hours(24 * 30));
    auto found = sessions.find(issued->token, t0 + hours(24 * 6));
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->persistent);
    EXPECT_EQ(sessions.find(issued->token, t0 + hours(24 * 14)).error().kind,
              Error::Kind::not_found);
}

TEST_P(StoreTest, SessionSignOutRevokes) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    auto issued = sessions.create(login(add_user(db(), "alice")), t0);
    ASSERT_TRUE(issued);
    ASSERT_TRUE(sessions.revoke(issued->token, t0 + seconds(5)));
    EXPECT_EQ(sessions.find(issued->token, t0 + seconds(6)).error().kind, Error::Kind::not_found);
    EXPECT_TRUE(sessions.revoke(issued->token, t0 + seconds(7)));  // idempotent
    EXPECT_TRUE(sessions.revoke("garbage", t0));
}

TEST_P(StoreTest, SessionRevokeByIdOnlyForItsOwner) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto alice = add_user(db(), "alice");
    const auto bob = add_user(db(), "bobby");
    auto a = sessions.create(login(alice), t0);
    ASSERT_TRUE(a);
    EXPECT_EQ(sessions.revoke_by_id(bob, a->session.id, t0).error().kind, Error::Kind::not_found);
    EXPECT_TRUE(sessions.find(a->token, t0));
    ASSERT_TRUE(sessions.revoke_by_id(alice, a->session.id, t0));
    EXPECT_FALSE(sessions.find(a->token, t0));
    EXPECT_EQ(sessions.revoke_by_id(alice, a->session.id, t0).error().kind, Error::Kind::not_found);
}

TEST_P(StoreTest, SessionListsLiveSessionsAndRevokesAllButOne) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto alice = add_user(db(), "alice");
    const auto bob = add_user(db(), "bobby");
    auto first = sessions.create(login(alice), t0);
    auto second = sessions.create(login(alice), t0 + seconds(10));
    auto third = sessions.create(login(alice), t0 + seconds(20));
    auto bobs = sessions.create(login(bob), t0);
    ASSERT_TRUE(first && second && third && bobs);
    ASSERT_TRUE(sessions.revoke(first->token, t0 + seconds(30)));
    auto listed = sessions.list_live(alice, t0 + seconds(40));
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, third->session.id);
    EXPECT_EQ((*listed)[1].id, second->session.id);

    auto revoked = sessions.revoke_all(alice, third->session.id, t0 + seconds(50));
    ASSERT_TRUE(revoked);
    EXPECT_EQ(*revoked, 1u);
    EXPECT_TRUE(sessions.find(third->token, t0 + seconds(60)));
    EXPECT_FALSE(sessions.find(second->token, t0 + seconds(60)));
    EXPECT_TRUE(sessions.find(bobs->token, t0 + seconds(60)));
}

TEST_P(StoreTest, SessionCleanupDeletesEndedSessionsOnly) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto alice = add_user(db(), "alice");
    auto old_one = sessions.create(login(alice), t0);
    auto revoked = sessions.create(login(alice), t0);
    ASSERT_TRUE(old_one && revoked);
    ASSERT_TRUE(sessions.revoke(revoked->token, t0 + seconds(1)));
    auto fresh = sessions.create(login(alice), t0 + hours(3));
    ASSERT_TRUE(fresh);
    auto deleted = sessions.delete_ended(t0 + hours(3));
    ASSERT_TRUE(deleted);
    EXPECT_EQ(*deleted, 2u);
    EXPECT_TRUE(sessions.find(fresh->token, t0 + hours(3)));
}

TEST_P(StoreTest, SessionHostileHeadersAreStoredAsPrintableAscii) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    NewSession s = login(add_user(db(), "alice"));
    s.user_agent = "Evil\xff\xfe\x01<script>" + std::string(1000, 'x');
    auto issued = sessions.create(s, t0);
    ASSERT_TRUE(issued) << issued.error().message;
    auto found = sessions.find(issued->token, t0);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_agent.size(), 512u);
    EXPECT_TRUE(
        found->user_agent.starts_with(std::string("Evil") + std::string(3, '?') + "<script>"));
}

TEST_P(StoreTest, SessionDeletingTheUserDeletesItsSessions) {
    CountingRandom random_;
    SessionStore sessions{db(), random_, options_};
    const auto alice = add_user(db(), "alice");
    auto issued = sessions.create(login(alice), t0);
    ASSERT_TRUE(issued);
    ASSERT_TRUE(db().execute("DELETE FROM users WHERE id = ?", {alice}));
    EXPECT_FALSE(sessions.find(issued->token, t0));
}

}  // namespace

}  // namespace idpd::conformance
