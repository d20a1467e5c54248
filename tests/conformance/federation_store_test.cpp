// federation::BindingStore and LoginStateStore on every backend: one identity binds to one
// account also when binds race, the openid → unionid move, the last sign-in method, the
// once-per-account WeChat bonus, and single-use browser-bound states.
#include <atomic>
#include <chrono>
#include <span>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "account/user_store.h"
#include "conformance/backend.h"
#include "federation/binding_store.h"
#include "federation/login_state_store.h"

namespace idpd::conformance {
namespace {

using federation::BindOutcome;
using federation::UnbindOutcome;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

std::int64_t make_user(store::Database& db, const std::string& name, bool password) {
    account::UserStore users{db};
    auto user = users.create({*account::check_username(name), name,
                              password ? std::optional<std::string>("$argon2id$x") : std::nullopt},
                             t0);
    EXPECT_TRUE(user);
    return user ? user->id : 0;
}

federation::UpstreamIdentity wechat(const std::string& subject,
                                    std::vector<std::string> previous = {}) {
    federation::UpstreamIdentity id;
    id.provider = "wechat";
    id.subject = subject;
    id.previous_subjects = std::move(previous);
    return id;
}

TEST_P(StoreTest, RacingBindsOfOneIdentityBindItToOneAccount) {
    std::vector<std::int64_t> users;
    for (int i = 0; i < 8; ++i) {
        users.push_back(make_user(db(), "racer" + std::to_string(i), true));
    }
    std::atomic<int> bound{0};
    std::atomic<int> taken{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (auto user : users) {
        threads.emplace_back([&, user] {
            federation::BindingStore store{db()};
            auto outcome = store.bind(user, wechat("u-raced"), t0);
            if (!outcome) {
                ++failed;
            } else if (*outcome == BindOutcome::bound) {
                ++bound;
            } else {
                ++taken;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(bound, 1);
    EXPECT_EQ(taken, 7);
    EXPECT_EQ(failed, 0);
    auto rows = db().query("SELECT COUNT(*) FROM federation_identities", {});
    EXPECT_EQ(rows->front().integer(0), 1);
}

TEST_P(StoreTest, ProvidersKeepSameIdsApartAndAnAccountHoldsOnePerProvider) {
    const auto a = make_user(db(), "alpha", true);
    federation::BindingStore store{db()};
    auto github = wechat("123");
    github.provider = "github";
    auto bitbucket = wechat("123");
    bitbucket.provider = "bitbucket";
    EXPECT_EQ(*store.bind(a, github, t0), BindOutcome::bound);
    EXPECT_EQ(*store.bind(a, bitbucket, t0), BindOutcome::bound);
    EXPECT_EQ(*store.bind(a, github, t0), BindOutcome::bound);  // again: already this account's
    auto other = wechat("456");
    other.provider = "github";
    EXPECT_EQ(*store.bind(a, other, t0), BindOutcome::provider_taken);
}

TEST_P(StoreTest, AnOpenidBindingMovesToTheUnionidWhenItAppears) {
    const auto a = make_user(db(), "alpha", true);
    federation::BindingStore store{db()};
    ASSERT_EQ(*store.bind(a, wechat("openid-1"), t0), BindOutcome::bound);
    auto found = store.find(wechat("union-1", {"openid-1"}));
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->user_id, a);
    EXPECT_EQ((*found)->subject, "union-1");
    EXPECT_TRUE(*store.find(wechat("union-1")));
    EXPECT_FALSE(*store.find(wechat("openid-1")));
}

TEST_P(StoreTest, TheLastSignInMethodStaysAndTheBonusIsOncePerAccount) {
    const auto a = make_user(db(), "nopass", false);
    federation::BindingStore store{db()};
    ASSERT_EQ(*store.bind(a, wechat("w1"), t0), BindOutcome::bound);
    EXPECT_EQ(*store.bonus_events(a, federation::wechat_bonus_kind), 1);
    const auto only = store.list(a)->front().id;
    EXPECT_EQ(*store.unbind(a, only), UnbindOutcome::last_method);
    auto qq = wechat("q1");
    qq.provider = "qq";
    ASSERT_EQ(*store.bind(a, qq, t0), BindOutcome::bound);
    EXPECT_EQ(*store.unbind(a, only), UnbindOutcome::unbound);
    EXPECT_EQ(*store.unbind(a, only), UnbindOutcome::not_found);
    ASSERT_EQ(*store.bind(a, wechat("w2"), t0), BindOutcome::bound);
    EXPECT_EQ(*store.bonus_events(a, federation::wechat_bonus_kind), 1);
    const auto with_password = make_user(db(), "haspass", true);
    ASSERT_EQ(*store.bind(with_password, wechat("w3"), t0), BindOutcome::bound);
    EXPECT_EQ(*store.unbind(with_password, store.list(with_password)->front().id),
              UnbindOutcome::unbound);
}

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

TEST_P(StoreTest, LoginStatesAreBrowserBoundSingleUseAndExpire) {
    CountingRandom random;
    federation::LoginStateStore states{db(), random, std::chrono::minutes(10)};
    const std::string browser = federation::random_token(random);
    const std::string other = federation::random_token(random);
    auto state =
        states.issue({"github", federation::Intent::sign_in, std::nullopt, "/x"}, browser, t0);
    ASSERT_TRUE(state);
    EXPECT_EQ(states.consume(*state, other, t0).error().kind, store::Error::Kind::not_found);
    auto used = states.consume(*state, browser, t0 + std::chrono::seconds(5));
    ASSERT_TRUE(used);
    EXPECT_EQ(used->provider, "github");
    EXPECT_EQ(used->return_to, "/x");
    EXPECT_FALSE(states.consume(*state, browser, t0 + std::chrono::seconds(6)));
    auto late = states.issue({"qq", federation::Intent::sign_in, std::nullopt, ""}, browser, t0);
    EXPECT_FALSE(states.consume(*late, browser, t0 + std::chrono::minutes(11)));
    EXPECT_EQ(*states.delete_expired(t0 + std::chrono::minutes(11)), 2u);
}

}  // namespace
}  // namespace idpd::conformance
