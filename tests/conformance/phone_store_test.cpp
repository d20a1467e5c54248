// Phones, SMS codes, API keys and notification choices on every backend (schema 0028, 0029,
// 0033): a number belongs to one account, a code is spent once, a key resolves only while
// active, and a choice is an upsert.
#include "phone/phone_store.h"

#include <span>
#include <string>

#include <gmock/gmock.h>

#include "account/api_keys.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "conformance/backend.h"
#include "notify/preferences.h"
#include "phone/code_store.h"

namespace idpd::conformance {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

// Always the same bytes: the code is 000000 … in a known way.
class FixedRandom final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& b : out) {
            b = 7;
        }
    }
};

std::int64_t add_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

TEST_P(StoreTest, APhoneNumberBelongsToOneAccountAndAChangeReplacesTheOldOne) {
    phone::PhoneStore phones{*db_};
    const auto alice = add_user(*db_, "alice");
    const auto bob = add_user(*db_, "bobby");
    ASSERT_TRUE(phones.bind(alice, "+8613800138000", t0));
    auto taken = phones.bind(bob, "+8613800138000", t0);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().kind, store::Error::Kind::conflict);
    ASSERT_TRUE(phones.bind(alice, "+14155552671", t0 + seconds(1)));
    EXPECT_FALSE(phones.by_number("+8613800138000").value());
    EXPECT_EQ(phones.by_number("+14155552671").value()->user_id, alice);
    ASSERT_TRUE(phones.bind(bob, "+8613800138000", t0 + seconds(2)));
    ASSERT_TRUE(phones.unbind(alice));
    EXPECT_EQ(phones.unbind(alice).error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, AnSmsCodeIsSpentOnceAndDiesAfterFiveWrongTries) {
    FixedRandom random;
    phone::CodeStore codes{*db_, random};
    const auto alice = add_user(*db_, "alice");
    const phone::CodeRequest request{phone::CodePurpose::bind, "+8613800138000", alice, "10.0.0.1"};
    auto issued = codes.issue(request, t0);
    ASSERT_TRUE(issued) << issued.error().message;
    ASSERT_FALSE(issued->throttled());
    const std::string code = issued->code;
    EXPECT_TRUE(codes.issue(request, t0 + seconds(30))->throttled()) << "one a minute";
    auto spent = codes.redeem(phone::CodePurpose::bind, "+8613800138000", alice, code, t0);
    ASSERT_TRUE(spent);
    EXPECT_EQ(*spent, alice);
    EXPECT_FALSE(codes.redeem(phone::CodePurpose::bind, "+8613800138000", alice, code, t0).value());

    auto again = codes.issue(request, t0 + minutes(2));
    ASSERT_TRUE(again && !again->throttled());
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(
            codes.redeem(phone::CodePurpose::bind, "+8613800138000", alice, "999999", t0).value());
    }
    EXPECT_FALSE(
        codes.redeem(phone::CodePurpose::bind, "+8613800138000", alice, again->code, t0).value())
        << "five wrong tries kill the code";
    EXPECT_EQ(codes.delete_expired(t0 + minutes(70)).value(), 2u);
}

TEST_P(StoreTest, AnApiKeyResolvesWhileActiveAndRecordsItsUseAtMostOnceAMinute) {
    auto master = jose::MasterKey::from_bytes(std::string(32, 'k'));
    ASSERT_TRUE(master);
    account::ApiKeyHasher hasher{*master};
    account::ApiKeyStore keys{*db_, hasher};
    const auto alice = add_user(*db_, "alice");
    auto created =
        keys.create({alice, "ci", {"account", "billing"}, std::nullopt, t0 + minutes(60)},
                    std::string(32, 'r'), t0);
    ASSERT_TRUE(created) << created.error().message;
    auto found = keys.resolve(created->secret, "192.0.2.1", t0 + seconds(5));
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->scopes, (std::vector<std::string>{"account", "billing"}));
    keys.resolve(created->secret, "192.0.2.2", t0 + seconds(30)).value();
    EXPECT_EQ(keys.find(alice, created->key.id)->last_used_ip, "192.0.2.1") << "within a minute";
    keys.resolve(created->secret, "192.0.2.3", t0 + seconds(70)).value();
    EXPECT_EQ(keys.find(alice, created->key.id)->last_used_ip, "192.0.2.3");
    EXPECT_FALSE(keys.resolve(created->secret, "192.0.2.1", t0 + minutes(61)).value());
    ASSERT_TRUE(keys.revoke(alice, created->key.id, t0 + seconds(80)));
    EXPECT_FALSE(keys.resolve(created->secret, "192.0.2.1", t0 + seconds(90)).value());
    EXPECT_EQ(keys.revoke(alice, created->key.id, t0).error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, NotificationChoicesAreUpsertedAndSecurityEmailStaysOn) {
    const auto alice = add_user(*db_, "alice");
    using notify::NoticeChannel;
    using notify::NoticeEvent;
    EXPECT_TRUE(
        notify::should_notify(*db_, alice, NoticeEvent::billing, NoticeChannel::email).value());
    ASSERT_TRUE(
        notify::set_preference(*db_, alice, NoticeEvent::billing, NoticeChannel::email, false, t0));
    ASSERT_TRUE(notify::set_preference(*db_, alice, NoticeEvent::billing, NoticeChannel::email,
                                       false, t0 + seconds(1)));
    EXPECT_FALSE(
        notify::should_notify(*db_, alice, NoticeEvent::billing, NoticeChannel::email).value());
    auto locked =
        notify::set_preference(*db_, alice, NoticeEvent::security, NoticeChannel::email, false, t0);
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().kind, store::Error::Kind::invalid);
    EXPECT_TRUE(
        notify::should_notify(*db_, alice, NoticeEvent::security, NoticeChannel::email).value());
}

}  // namespace
}  // namespace idpd::conformance
