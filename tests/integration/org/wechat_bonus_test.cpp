// The one-time WeChat binding bonus lands as quota on the person's own billing account, once:
// unbinding and binding again does not credit it a second time.
#include <gtest/gtest.h>

#include "billing/account_store.h"
#include "integration/federation/federation_fixture.h"

namespace idpd::testing_support {
namespace {

TEST_F(FederationTest, FirstWeChatBindingCreditsTheBonusQuotaOnce) {
    Browser b(*app_);
    ASSERT_EQ(sign_up_with(b, "github", "octocat", "octocat@github.example").status, 303);
    const auto id = user_id_of("octocat");
    auto bonus = [&] {
        auto account = billing::AccountStore(*db_).find({billing::OwnerKind::user, id});
        return account ? account->bonus_quota : 0;
    };
    EXPECT_EQ(bonus(), 0);
    upstream_login(b, "wechat", "/account", "bind");
    EXPECT_EQ(bonus(), 1000);  // [billing] wechat_binding_bonus_quota's default
    federation::BindingStore bindings{*db_};
    std::int64_t binding = 0;
    const auto list = bindings.list(id).value();
    for (const auto& each : list) {
        binding = each.provider == "wechat" ? each.id : binding;
    }
    auto unbind =
        b.submit("/account", "/account/bindings/" + std::to_string(binding) + "/unbind", {});
    EXPECT_EQ(unbind.status, 303);
    upstream_login(b, "wechat", "/account", "bind");
    EXPECT_EQ(bonus(), 1000);
    auto credited = db_->query(
        "SELECT COUNT(*) FROM federation_bonus_events WHERE user_id = ? AND credited_at IS NOT "
        "NULL",
        {id});
    ASSERT_TRUE(credited);
    EXPECT_EQ(credited->front().integer(0), 1);
    // The billing page shows it beside the plan's quota.
    EXPECT_NE(b.get("/account/billing").body.find("0 / 3000"), std::string::npos);
}

}  // namespace
}  // namespace idpd::testing_support
