// auth::ConsentStore on every backend: grants merge and never narrow, concurrent first grants
// merge instead of one losing, listing newest first, withdrawal.
#include "auth/consent_store.h"

#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "account/username_rules.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

std::int64_t consenting_user(store::Database& db, std::string_view name) {
    account::UserStore users{db};
    auto username = account::check_username(name);
    EXPECT_TRUE(username);
    auto user = users.create({*username, std::string(name), std::nullopt}, t0);
    EXPECT_TRUE(user) << user.error().message;
    return user ? user->id : 0;
}

TEST_P(StoreTest, ConsentGrantsMergeAndWithdraw) {
    auth::ConsentStore consents(db());
    const auto user = consenting_user(db(), "alice");
    auto none = consents.find(user, "rp");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());

    ASSERT_TRUE(consents.grant(user, "rp", {"openid", "email"}, t0));
    ASSERT_TRUE(consents.grant(user, "rp", {"profile", "openid"}, t0 + seconds(5)));
    auto found = consents.find(user, "rp");
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->scopes, (std::vector<std::string>{"email", "openid", "profile"}));
    EXPECT_EQ((*found)->granted_at, t0 + seconds(5));
    EXPECT_TRUE(auth::covers((*found)->scopes, {"openid", "profile"}));
    EXPECT_FALSE(auth::covers((*found)->scopes, {"openid", "phone"}));

    ASSERT_TRUE(consents.grant(user, "other", {"openid"}, t0 + seconds(9)));
    auto listed = consents.list(user);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].client_id, "other");  // newest first

    auto withdrawn = consents.withdraw(user, "rp");
    ASSERT_TRUE(withdrawn);
    EXPECT_TRUE(*withdrawn);
    auto again = consents.withdraw(user, "rp");
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
    auto gone = consents.find(user, "rp");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(gone->has_value());
}

TEST_P(StoreTest, ConcurrentFirstConsentGrantsMerge) {
    const auto user = consenting_user(db(), "bob1");
    const std::vector<std::string> scopes{"openid", "email", "profile", "phone"};
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (const auto& scope : scopes) {
        threads.emplace_back([&, scope] {
            auth::ConsentStore consents(db());
            if (!consents.grant(user, "rp", {scope}, t0)) {
                ++failures;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(failures.load(), 0);
    auth::ConsentStore consents(db());
    auto found = consents.find(user, "rp");
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->scopes, (std::vector<std::string>{"email", "openid", "phone", "profile"}));
}

}  // namespace
}  // namespace idpd::conformance
