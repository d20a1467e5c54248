#include "web/locale.h"

#include <gtest/gtest.h>

namespace idpd::web {
namespace {

TEST(Locale, DefaultIsChinese) {
    EXPECT_EQ(negotiate_locale({}), Locale::zh_cn);
    EXPECT_EQ(negotiate_locale({"", "", "fr-FR, de;q=0.5"}), Locale::zh_cn);
}

TEST(Locale, MatchesLanguageTags) {
    EXPECT_EQ(match_locale("zh"), Locale::zh_cn);
    EXPECT_EQ(match_locale("zh-CN"), Locale::zh_cn);
    EXPECT_EQ(match_locale("zh_Hans_CN"), Locale::zh_cn);
    EXPECT_EQ(match_locale("ZH-tw"), Locale::zh_cn);
    EXPECT_EQ(match_locale("en"), Locale::en);
    EXPECT_EQ(match_locale("en-GB"), Locale::en);
    EXPECT_EQ(match_locale("fr"), std::nullopt);
    EXPECT_EQ(match_locale("english"), std::nullopt);
    EXPECT_EQ(match_locale(""), std::nullopt);
}

TEST(Locale, AcceptLanguageByWeight) {
    EXPECT_EQ(negotiate_locale({"", "", "en-US,en;q=0.9"}), Locale::en);
    EXPECT_EQ(negotiate_locale({"", "", "en;q=0.5, zh-CN;q=0.8"}), Locale::zh_cn);
    EXPECT_EQ(negotiate_locale({"", "", "fr, en;q=0.3"}), Locale::en);
    EXPECT_EQ(negotiate_locale({"", "", "en;q=0"}), Locale::zh_cn);
    EXPECT_EQ(negotiate_locale({"", "", "en;q=2"}), Locale::zh_cn);  // malformed weight
    EXPECT_EQ(negotiate_locale({"", "", "zh, en"}), Locale::zh_cn);  // ties keep the order
    EXPECT_EQ(negotiate_locale({"", "", "en, zh"}), Locale::en);
}

TEST(Locale, CookieBeatsAcceptLanguage) {
    EXPECT_EQ(negotiate_locale({"", "zh-CN", "en-US"}), Locale::zh_cn);
    EXPECT_EQ(negotiate_locale({"", "en", "zh-CN"}), Locale::en);
    EXPECT_EQ(negotiate_locale({"", "klingon", "en"}), Locale::en);
}

TEST(Locale, UiLocalesBeatsEverything) {
    EXPECT_EQ(negotiate_locale({"en", "zh-CN", "zh-CN"}), Locale::en);
    EXPECT_EQ(negotiate_locale({"fr-CA en-US", "zh-CN", "zh"}), Locale::en);
    EXPECT_EQ(negotiate_locale({"zh-CN en", "en", "en"}), Locale::zh_cn);
    EXPECT_EQ(negotiate_locale({"fr de", "en", "zh"}), Locale::en);  // none known: next source
}

}  // namespace
}  // namespace idpd::web
