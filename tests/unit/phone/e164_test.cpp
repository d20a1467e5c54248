// E.164 parsing of numbers as people type them (phone/e164.h).
#include "phone/e164.h"

#include <gtest/gtest.h>

namespace idpd::phone {
namespace {

std::string ok(std::string_view typed) {
    auto parsed = normalize_e164(typed);
    EXPECT_TRUE(parsed) << typed << ": " << (parsed ? "" : problem_name(parsed.error()));
    return parsed.value_or("");
}

NumberProblem refused(std::string_view typed) {
    auto parsed = normalize_e164(typed);
    EXPECT_FALSE(parsed) << typed << " was accepted as " << parsed.value_or("");
    return parsed ? NumberProblem::empty : parsed.error();
}

TEST(E164, ABareMainlandMobileNumberGetsPlus86) {
    EXPECT_EQ(ok("13800138000"), "+8613800138000");
    EXPECT_EQ(ok("138 0013 8000"), "+8613800138000");
    EXPECT_EQ(ok("138-0013-8000"), "+8613800138000");
    EXPECT_EQ(ok("19912345678"), "+8619912345678");
}

TEST(E164, ACountryCodeIsKeptWithSeparatorsDropped) {
    EXPECT_EQ(ok("+86 138 0013 8000"), "+8613800138000");
    EXPECT_EQ(ok("+1 (415) 555-2671"), "+14155552671");
    EXPECT_EQ(ok("+44 20 7946 0958"), "+442079460958");
    EXPECT_EQ(ok("0044 20 7946 0958"), "+442079460958") << "00 is the international prefix";
    EXPECT_EQ(ok("+852 5123 4567"), "+85251234567");
}

TEST(E164, ANumberWithoutCountryCodeIsRefusedNotGuessed) {
    EXPECT_EQ(refused("4155552671"), NumberProblem::no_country_code);
    EXPECT_EQ(refused("010 8888 8888"), NumberProblem::no_country_code);
    EXPECT_EQ(refused("1380013800"), NumberProblem::no_country_code) << "10 digits";
}

TEST(E164, MalformedNumbersAreRefusedWithTheirProblem) {
    EXPECT_EQ(refused(""), NumberProblem::empty);
    EXPECT_EQ(refused("   "), NumberProblem::empty);
    EXPECT_EQ(refused("+"), NumberProblem::invalid_length);
    EXPECT_EQ(refused("138oo138000"), NumberProblem::invalid_character);
    EXPECT_EQ(refused("+86 138+0013"), NumberProblem::invalid_character);
    EXPECT_EQ(refused("1380013800０"), NumberProblem::invalid_character) << "full-width digit";
    EXPECT_EQ(refused("+1234567"), NumberProblem::invalid_length) << "7 digits";
    EXPECT_EQ(refused("+1234567890123456"), NumberProblem::invalid_length) << "16 digits";
    EXPECT_EQ(refused("+0123456789"), NumberProblem::invalid_country);
    EXPECT_EQ(refused("12800138000"), NumberProblem::invalid_mainland) << "12x is no mobile";
    EXPECT_EQ(refused("+86 1380013800"), NumberProblem::invalid_mainland) << "10 digits";
    EXPECT_EQ(refused("+86 138001380001"), NumberProblem::invalid_mainland) << "12 digits";
    EXPECT_EQ(refused(std::string(100, '1')), NumberProblem::invalid_length);
}

TEST(E164, MaskingKeepsTheCountryCodeAndTheLastFourDigits) {
    EXPECT_EQ(masked("+8613800138000"), "+86 138****8000");
    EXPECT_EQ(masked("+14155552671"), "+141****2671");
}

}  // namespace
}  // namespace idpd::phone
