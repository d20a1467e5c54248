// The profile behind the OIDC claims (app/claims_profile.h) is one joined statement over
// users, user_emails, user_phones and avatars: it must read the same on every backend.
#include "app/claims_profile.h"

#include <gmock/gmock.h>

#include "account/avatar_store.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "conformance/backend.h"
#include "phone/phone_store.h"

namespace idpd::conformance {
namespace {

using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};
constexpr std::string_view issuer = "https://id.example.cn";

std::int64_t add_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, "Display " + std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

TEST_P(StoreTest, TheClaimsProfileJoinsThePrimaryEmailThePhoneAndTheAvatar) {
    const auto alice = add_user(*db_, "alice");
    auto bare = app::read_claims_profile(*db_, alice, issuer);
    ASSERT_TRUE(bare) << bare.error().description;
    ASSERT_TRUE(bare->has_value());
    EXPECT_EQ((*bare)->preferred_username, "alice");
    EXPECT_EQ((*bare)->name, "Display alice");
    EXPECT_EQ((*bare)->updated_at, t0.time_since_epoch().count());
    EXPECT_FALSE((*bare)->email);
    EXPECT_FALSE((*bare)->phone_number);
    EXPECT_FALSE((*bare)->picture);

    account::UserStore users{*db_};
    const auto first = account::parse_email_address("first@example.cn").value();
    const auto second = account::parse_email_address("second@example.cn").value();
    ASSERT_TRUE(users.add_email(alice, first, t0));  // the first address is the primary
    ASSERT_TRUE(users.add_email(alice, second, t0));
    ASSERT_TRUE(users.mark_email_verified(alice, second, t0));
    ASSERT_TRUE(phone::PhoneStore(*db_).bind(alice, "+8613800138000", t0));
    ASSERT_TRUE(account::AvatarStore(*db_).set_image(alice, "image/png", "png", t0 + seconds(5)));

    auto full = app::read_claims_profile(*db_, alice, issuer).value();
    ASSERT_TRUE(full);
    EXPECT_EQ(full->email, "first@example.cn");
    EXPECT_FALSE(full->email_verified);
    EXPECT_EQ(full->phone_number, "+8613800138000");
    EXPECT_TRUE(full->phone_number_verified);
    EXPECT_EQ(full->picture, std::string(issuer) + "/avatars/" + std::to_string(alice) +
                                 "?v=" + std::to_string(t0.time_since_epoch().count() + 5));

    // Only the primary address is the `email` claim; a URL avatar is given as it is.
    ASSERT_TRUE(users.set_primary_email(alice, second));
    ASSERT_TRUE(account::AvatarStore(*db_).set_url(alice, "https://img.example.cn/a.png", t0));
    full = app::read_claims_profile(*db_, alice, issuer).value();
    EXPECT_EQ(full->email, "second@example.cn");
    EXPECT_TRUE(full->email_verified);
    EXPECT_EQ(full->picture, "https://img.example.cn/a.png");
}

TEST_P(StoreTest, TheClaimsProfileOfADisabledOrUnknownUserIsNone) {
    const auto bob = add_user(*db_, "bobby");
    ASSERT_TRUE(account::UserStore(*db_).set_status(bob, account::UserStatus::disabled, t0));
    EXPECT_FALSE(app::read_claims_profile(*db_, bob, issuer).value());
    EXPECT_FALSE(app::read_claims_profile(*db_, bob + 1000, issuer).value());
}

}  // namespace
}  // namespace idpd::conformance
