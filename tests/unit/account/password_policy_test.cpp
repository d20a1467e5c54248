#include "account/password_policy.h"

#include <string>

#include <gmock/gmock.h>

#include "account/common_passwords.h"

namespace idpd::account {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

const PasswordPolicy asvs{};
const PasswordPolicy console{{.preset = PasswordPreset::console}};

TEST(PasswordPolicy, AsvsAcceptsLongPassphrasesOfAnyScriptWithSpaces) {
    EXPECT_THAT(asvs.check("correct horse battery staple", "alice"), IsEmpty());
    EXPECT_THAT(asvs.check("我的密码是一只猫", "alice"), IsEmpty());  // 8 code points
    EXPECT_THAT(asvs.check("zzqv xkcd", "alice"), IsEmpty());
    EXPECT_THAT(asvs.check(std::string(128, 'q'), ""), IsEmpty());
}

TEST(PasswordPolicy, AsvsLengthIsEightToOneHundredTwentyEightCodePoints) {
    EXPECT_THAT(asvs.check("xkq7!vz", ""), ElementsAre(PasswordProblem::too_short));
    EXPECT_THAT(asvs.check("我的密码是猫", ""), ElementsAre(PasswordProblem::too_short));
    EXPECT_THAT(asvs.check(std::string(129, 'q'), ""), ElementsAre(PasswordProblem::too_long));
    EXPECT_EQ(asvs.min_length(), 8U);
    EXPECT_EQ(asvs.max_length(), 128U);
}

TEST(PasswordPolicy, RefusesTheUsernameInAnyCase) {
    EXPECT_THAT(asvs.check("ZhangSan_88", "zhangsan_88"),
                ElementsAre(PasswordProblem::contains_username));
    EXPECT_THAT(asvs.check("my-ALICE-pass", "Alice"),
                ElementsAre(PasswordProblem::contains_username));
    EXPECT_THAT(asvs.check("张三丰的秘密花园", "张三丰"),
                ElementsAre(PasswordProblem::contains_username));
}

TEST(PasswordPolicy, RefusesCommonPasswordsIgnoringCase) {
    EXPECT_THAT(asvs.check("password", "alice"), ElementsAre(PasswordProblem::common_password));
    EXPECT_THAT(asvs.check("PassWord", "alice"), ElementsAre(PasswordProblem::common_password));
    EXPECT_THAT(asvs.check("12345678", "alice"), ElementsAre(PasswordProblem::common_password));
    EXPECT_THAT(asvs.check("iloveyou", "alice"), ElementsAre(PasswordProblem::common_password));
    EXPECT_THAT(asvs.check("123456", "alice"),
                ElementsAre(PasswordProblem::too_short, PasswordProblem::common_password));
}

TEST(PasswordPolicy, TheBundledListIsLargeAndLowerCase) {
    EXPECT_TRUE(is_common_password("qwerty"));
    EXPECT_TRUE(is_common_password("QWERTY"));
    EXPECT_FALSE(is_common_password("correct horse battery staple"));
    EXPECT_FALSE(is_common_password(""));
    EXPECT_FALSE(
        is_common_password("# Common and breached passwords refused by the default "
                           "password policy (OWASP ASVS 5.0 V6.2.4:"));
    EXPECT_GT(common_passwords_text().size(), 200'000U);
}

TEST(PasswordPolicy, AsvsHasNoCompositionRules) {
    EXPECT_THAT(asvs.check("zzzzzzzzzzzzzzzzqv", "alice"), IsEmpty());
}

TEST(PasswordPolicy, ConsoleNeedsLettersDigitsAndSymbolsInSevenToTwenty) {
    EXPECT_THAT(console.check("xk7!vqz", "alice"), IsEmpty());
    EXPECT_THAT(console.check("密码7!", "alice"), ElementsAre(PasswordProblem::too_short));
    EXPECT_THAT(console.check("xkqvzwpt", "alice"),
                ElementsAre(PasswordProblem::needs_digit, PasswordProblem::needs_symbol));
    EXPECT_THAT(console.check("84736251", "alice"),
                ElementsAre(PasswordProblem::needs_letter, PasswordProblem::needs_symbol));
    EXPECT_THAT(console.check("xk7!vqzxk7!vqzxk7!vqz", "alice"),
                ElementsAre(PasswordProblem::too_long));
    EXPECT_THAT(console.check("Alice7!x", "alice"),
                ElementsAre(PasswordProblem::contains_username));
    EXPECT_EQ(console.min_length(), 7U);
    EXPECT_EQ(console.max_length(), 20U);
}

TEST(PasswordPolicy, InvalidUtf8IsRefusedAlone) {
    EXPECT_THAT(asvs.check("abcdefgh\xff", "alice"), ElementsAre(PasswordProblem::invalid_utf8));
}

TEST(PasswordPolicy, PresetsParseByConfigName) {
    EXPECT_EQ(parse_password_preset("asvs"), PasswordPreset::asvs);
    EXPECT_EQ(parse_password_preset("console"), PasswordPreset::console);
    EXPECT_EQ(parse_password_preset("Console"), std::nullopt);
    EXPECT_EQ(preset_name(PasswordPreset::console), "console");
    EXPECT_EQ(problem_name(PasswordProblem::needs_symbol), "needs_symbol");
}

}  // namespace
}  // namespace idpd::account
