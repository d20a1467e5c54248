#include "web/form_view.h"

#include <gtest/gtest.h>

namespace idpd::web {
namespace {

TEST(WithParam, AddsToTheQueryWithTheRightSeparator) {
    EXPECT_EQ(with_param("/signin", "ui_locales", "en"), "/signin?ui_locales=en");
    EXPECT_EQ(with_param("/signup?return_to=%2Faccount", "ui_locales", "zh-CN"),
              "/signup?return_to=%2Faccount&ui_locales=zh-CN");
    EXPECT_EQ(with_param("/x", "a", "b c&d"), "/x?a=b%20c%26d");
}

TEST(ReplaceUiLocales, SetsEveryUiLocalesDownToTheAuthorizationRequest) {
    EXPECT_EQ(replace_ui_locales("/signin?ui_locales=en", "zh-CN"), "/signin?ui_locales=zh-CN");
    EXPECT_EQ(replace_ui_locales("/signin?return_to=%2Fauthorize%3Fclient_id%3Da%26ui_locales%3Den"
                                 "&ui_locales=en",
                                 "zh-CN"),
              "/signin?return_to=%2Fauthorize%3Fclient_id%3Da%26ui_locales%3Dzh-CN"
              "&ui_locales=zh-CN");
    // The other parameters keep their exact bytes.
    EXPECT_EQ(replace_ui_locales("/authorize?scope=openid+profile&ui_locales=fr%20en", "en"),
              "/authorize?scope=openid+profile&ui_locales=en");
}

TEST(ReplaceUiLocales, LeavesATargetWithoutUiLocalesAlone) {
    EXPECT_EQ(replace_ui_locales("/account", "en"), "/account");
    EXPECT_EQ(replace_ui_locales("/signin?return_to=%2Faccount", "en"),
              "/signin?return_to=%2Faccount");
    EXPECT_EQ(replace_ui_locales("/signin?", "en"), "/signin?");
}

}  // namespace
}  // namespace idpd::web
