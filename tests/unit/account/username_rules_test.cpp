#include "account/username_rules.h"

#include <string>

#include <gmock/gmock.h>

namespace idpd::account {
namespace {

using testing::ElementsAre;

std::vector<UsernameProblem> problems_of(std::string_view input) {
    auto checked = check_username(input);
    return checked ? std::vector<UsernameProblem>{} : checked.error();
}

TEST(UsernameRules, AcceptsLettersDigitsDashUnderscoreAndIdeographs) {
    for (std::string_view good : {"alice", "Bob_1999", "a-b_c", "张三丰李", "李四_2024", "1234a",
                                  "____", "𠀀𠀁𠀂𠀃", "abcdefghijklmnopqrst"}) {
        EXPECT_TRUE(check_username(good)) << good;
    }
}

TEST(UsernameRules, LengthCountsCodePointsNotBytes) {
    EXPECT_THAT(problems_of("张三"), ElementsAre(UsernameProblem::too_short));
    EXPECT_TRUE(check_username("张三丰李"));  // 4 code points, 12 bytes
    EXPECT_TRUE(check_username("一二三四五六七八九十一二三四五六七八九十"));  // 20
    EXPECT_THAT(problems_of("一二三四五六七八九十一二三四五六七八九十一"),
                ElementsAre(UsernameProblem::too_long));
    EXPECT_THAT(problems_of("abc"), ElementsAre(UsernameProblem::too_short));
    EXPECT_THAT(problems_of("abcdefghijklmnopqrstu"), ElementsAre(UsernameProblem::too_long));
    EXPECT_THAT(problems_of(""), ElementsAre(UsernameProblem::too_short));
}

TEST(UsernameRules, AllDigitsIsRefused) {
    EXPECT_THAT(problems_of("12345"), ElementsAre(UsernameProblem::all_digits));
    EXPECT_THAT(problems_of("123"),
                ElementsAre(UsernameProblem::too_short, UsernameProblem::all_digits));
}

TEST(UsernameRules, EveryBrokenRuleIsNamed) {
    EXPECT_THAT(problems_of("a b"),
                ElementsAre(UsernameProblem::bad_character, UsernameProblem::too_short));
    EXPECT_THAT(problems_of("ab\tc\x01"), ElementsAre(UsernameProblem::control_character));
    EXPECT_THAT(problems_of("a\u200bb"),  // zero-width space: a format character
                ElementsAre(UsernameProblem::control_character, UsernameProblem::too_short));
    EXPECT_THAT(problems_of("alice@example.com"), ElementsAre(UsernameProblem::bad_character));
}

TEST(UsernameRules, RefusesLookalikesAndNonIdeographs) {
    for (std::string_view bad : {"аlice" /* Cyrillic а */, "ａｌｉｃｅ" /* fullwidth */, "alice。",
                                 "こんにちは", "안녕하세요", "alicé", "alice!"}) {
        EXPECT_THAT(problems_of(bad), ElementsAre(UsernameProblem::bad_character)) << bad;
    }
}

TEST(UsernameRules, InvalidUtf8IsRefusedAlone) {
    for (std::string_view bad :
         {std::string_view("abc\xff"), std::string_view("\xc0\xaf\x61\x62\x63"),
          std::string_view("ab\xed\xa0\x80\x63"), std::string_view("abc\xe5\xbc")}) {
        EXPECT_THAT(problems_of(bad), ElementsAre(UsernameProblem::invalid_utf8));
    }
}

TEST(UsernameRules, CanonicalFormFoldsCase) {
    auto upper = check_username("Alice_W");
    auto lower = check_username("alice_w");
    ASSERT_TRUE(upper && lower);
    EXPECT_EQ(upper->text, "Alice_W");
    EXPECT_EQ(upper->canonical, "alice_w");
    EXPECT_EQ(upper->canonical, lower->canonical);
    EXPECT_EQ(canonical_username("ALICE_W"), "alice_w");
    EXPECT_EQ(canonical_username("\xff"), "");
}

TEST(UsernameRules, CompatibilityIdeographsNormaliseToUnifiedOnes) {
    // U+F900 (a CJK compatibility ideograph) is U+8C48 under NFC.
    auto checked = check_username("\uF900abc");
    ASSERT_TRUE(checked);
    EXPECT_EQ(checked->text, "\u8C48abc");
    EXPECT_EQ(checked->canonical, canonical_username("\u8C48ABC"));
}

TEST(UsernameRules, ProblemNamesAreTheEnumerators) {
    EXPECT_EQ(problem_name(UsernameProblem::too_short), "too_short");
    EXPECT_EQ(problem_name(UsernameProblem::all_digits), "all_digits");
    EXPECT_EQ(problem_name(UsernameProblem::bad_character), "bad_character");
}

}  // namespace
}  // namespace idpd::account
