// The account center's stores on every backend: renames with their cooldown and the UNIQUE key,
// email removal and primary rules, the sign-in history trimmed to 50, single-use step-up codes,
// and avatars stored as bytes.
#include <chrono>
#include <string>

#include <gmock/gmock.h>

#include "account/avatar_store.h"
#include "account/profile_store.h"
#include "account/user_store.h"
#include "auth/signin_history_store.h"
#include "auth/step_up_code_store.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using account::EmailRemoval;
using account::PrimaryChange;
using account::ProfileStore;
using account::RenameOutcome;
using account::UserStore;
using std::chrono::hours;

const std::chrono::sys_seconds t0{std::chrono::seconds{1'700'000'000}};

account::Username name_of(std::string_view text) {
    auto name = account::check_username(text);
    EXPECT_TRUE(name) << text;
    return name.value_or(account::Username{});
}

account::EmailAddress address(std::string_view text) {
    return account::parse_email_address(text).value_or(account::EmailAddress{});
}

std::int64_t make_user(store::Database& db, std::string_view name) {
    UserStore users{db};
    auto user = users.create({name_of(name), std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user);
    return user ? user->id : 0;
}

// A deterministic source: the codes it yields are known to the test.
class CountingRandom : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& b : out) {
            b = static_cast<std::uint8_t>(next_++);
        }
    }

private:
    std::uint32_t next_ = 1;
};

TEST_P(StoreTest, RenameHonoursTheCooldownAndTheUniqueKey) {
    const auto alice = make_user(db(), "alice");
    make_user(db(), "bobby");
    ProfileStore profiles{db()};
    const std::chrono::seconds cooldown = hours(24 * 30);
    EXPECT_EQ(profiles.rename(alice, name_of("BOBBY"), cooldown, t0)->kind,
              RenameOutcome::Kind::taken);
    auto renamed = profiles.rename(alice, name_of("alice2"), cooldown, t0);
    ASSERT_TRUE(renamed);
    EXPECT_EQ(renamed->kind, RenameOutcome::Kind::renamed);
    EXPECT_EQ(renamed->old_username, "alice");
    auto soon = profiles.rename(alice, name_of("alice3"), cooldown, t0 + hours(1));
    EXPECT_EQ(soon->kind, RenameOutcome::Kind::too_soon);
    EXPECT_EQ(*soon->allowed_at, t0 + cooldown);
    EXPECT_EQ(profiles.rename(alice, name_of("alice3"), cooldown, t0 + cooldown)->kind,
              RenameOutcome::Kind::renamed);
    UserStore users{db()};
    EXPECT_EQ(users.find_by_username("ALICE3")->id, alice);
    EXPECT_FALSE(users.find_by_username("alice2"));
}

TEST_P(StoreTest, TheLastVerifiedEmailStaysAndOnlyVerifiedOnesBecomePrimary) {
    const auto id = make_user(db(), "carol");
    UserStore users{db()};
    ASSERT_TRUE(users.add_email(id, address("one@example.com"), t0));
    ASSERT_TRUE(users.add_email(id, address("two@example.com"), t0));
    ASSERT_TRUE(users.mark_email_verified(id, address("one@example.com"), t0));
    ProfileStore profiles{db()};
    EXPECT_EQ(*profiles.set_primary_email(id, address("two@example.com")),
              PrimaryChange::unverified);
    EXPECT_EQ(*profiles.remove_email(id, address("ONE@example.com"), false),
              EmailRemoval::last_recovery);
    EXPECT_EQ(*profiles.remove_email(id, address("one@example.com"), true),
              EmailRemoval::removed);  // a verified phone remains
    auto left = users.emails(id);
    ASSERT_EQ(left->size(), 1u);
    EXPECT_TRUE(left->front().is_primary);  // the primary moved to what was left
    EXPECT_EQ(*profiles.remove_email(id, address("nobody@example.com"), false),
              EmailRemoval::not_found);
}

TEST_P(StoreTest, SigninHistoryKeepsTheNewestFifty) {
    const auto id = make_user(db(), "dave1");
    auth::SigninHistoryStore history{db()};
    for (int i = 0; i < 60; ++i) {
        ASSERT_TRUE(history.record({id, t0 + std::chrono::seconds(i), "203.0.113.9",
                                    "Chrome / Linux", "password", i % 2 == 0}));
    }
    auto recent = history.recent(id);
    ASSERT_TRUE(recent);
    ASSERT_EQ(recent->size(), 50u);
    EXPECT_EQ(recent->front().occurred_at, t0 + std::chrono::seconds(59));
    EXPECT_EQ(recent->back().occurred_at, t0 + std::chrono::seconds(10));
    auto count = db().query("SELECT COUNT(*) FROM signin_history", {});
    EXPECT_EQ(count->front().integer(0), 50);
}

TEST_P(StoreTest, StepUpCodesAreSingleUseThrottledAndExpire) {
    const auto id = make_user(db(), "erin1");
    CountingRandom random;
    auth::StepUpCodeStore codes{db(), random};
    const std::chrono::seconds ttl{600};
    auto code = codes.issue(id, ttl, t0);
    ASSERT_TRUE(code && code->has_value());
    EXPECT_EQ((*code)->size(), 6u);
    EXPECT_FALSE(codes.issue(id, ttl, t0 + std::chrono::seconds(30))->has_value());
    EXPECT_FALSE(*codes.redeem(id, "999999" == **code ? "111111" : "999999", t0));
    EXPECT_TRUE(*codes.redeem(id, **code, t0 + std::chrono::seconds(1)));
    EXPECT_FALSE(*codes.redeem(id, **code, t0 + std::chrono::seconds(2)));
    auto late = codes.issue(id, ttl, t0 + std::chrono::seconds(120));
    ASSERT_TRUE(late && late->has_value());
    EXPECT_FALSE(*codes.redeem(id, **late, t0 + std::chrono::seconds(120) + ttl));
}

TEST_P(StoreTest, AvatarsKeepTheirBytesOrTheirUrl) {
    const auto id = make_user(db(), "frank");
    account::AvatarStore avatars{db()};
    std::string bytes("\x89PNG\r\n\x1a\n\x00\xff\x10", 11);
    ASSERT_TRUE(avatars.set_image(id, "image/png", bytes, t0));
    auto found = avatars.find(id, true);
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->image, bytes);
    EXPECT_EQ(account::avatar_location(**found),
              "/avatars/" + std::to_string(id) + "?v=1700000000");
    ASSERT_TRUE(avatars.set_url(id, "https://img.example.com/me.png", t0));
    found = avatars.find(id, false);
    EXPECT_FALSE((*found)->is_upload());
    EXPECT_EQ(account::avatar_location(**found), "https://img.example.com/me.png");
    EXPECT_FALSE(account::is_avatar_url("http://img.example.com/me.png"));
    EXPECT_FALSE(account::is_avatar_url("https://img.example.com/a b.png"));
    EXPECT_FALSE(account::is_avatar_url("https:///x"));
    ASSERT_TRUE(avatars.clear(id));
    EXPECT_FALSE(avatars.find(id, false)->has_value());
}

}  // namespace
}  // namespace idpd::conformance
