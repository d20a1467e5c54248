// billing::parse_yuan: what a person may type as an amount, and the clear refusals.
#include "billing/amount.h"

#include <gtest/gtest.h>

namespace idpd::billing {
namespace {

TEST(ParseYuan, ReadsWholeAndDecimalAmountsAsFen) {
    EXPECT_EQ(parse_yuan("12.34").value(), 1234);
    EXPECT_EQ(parse_yuan("12.3").value(), 1230);
    EXPECT_EQ(parse_yuan("12").value(), 1200);
    EXPECT_EQ(parse_yuan("0.01").value(), 1);
    EXPECT_EQ(parse_yuan("0.5").value(), 50);
    EXPECT_EQ(parse_yuan("1000000").value(), 100'000'000);
    EXPECT_EQ(parse_yuan("1000000.00").value(), 100'000'000);
}

struct Refusal {
    const char* text;
    const char* says;  // a piece of the message
};

TEST(ParseYuan, RefusesEveryBadAmountWithAMessageNamingTheRule) {
    const Refusal cases[] = {
        {"", "enter an amount"},
        {"-1", "positive"},
        {"-0.01", "positive"},
        {"0", "more than 0"},
        {"0.00", "more than 0"},
        {"0.001", "0.01"},
        {"1.234", "0.01"},
        {"1e3", "only digits"},
        {"1E3", "only digits"},
        {"NaN", "only digits"},
        {"nan", "only digits"},
        {"inf", "only digits"},
        {"Infinity", "only digits"},
        {"+1", "only digits"},
        {" 1", "only digits"},
        {"1 ", "only digits"},
        {"1\t", "only digits"},
        {"1\n", "only digits"},
        {"1,000", "only digits"},
        {"\xef\xbc\x91", "only digits"},  // a full-width digit one
        {"1.", "after the decimal point"},
        {".5", "before the decimal point"},
        {"1..2", "after the decimal point"},
        {"1.2.3", "after the decimal point"},
        {"007", "start with 0"},
        {"1000000.01", "too large"},
        {"9999999999", "too large"},
        {"99999999999999999999999", "too large"},
        {"0x10", "only digits"},
    };
    for (const auto& c : cases) {
        auto parsed = parse_yuan(c.text);
        ASSERT_FALSE(parsed) << '"' << c.text << "\" was accepted";
        EXPECT_EQ(parsed.error().kind, Error::Kind::invalid) << c.text;
        EXPECT_NE(parsed.error().message.find(c.says), std::string::npos)
            << '"' << c.text << "\": " << parsed.error().message;
    }
}

TEST(FormatYuan, AlwaysTwoDecimals) {
    EXPECT_EQ(format_yuan(1234), "12.34");
    EXPECT_EQ(format_yuan(5), "0.05");
    EXPECT_EQ(format_yuan(0), "0.00");
    EXPECT_EQ(format_yuan(-300), "-3.00");
    EXPECT_EQ(format_yuan(100'000'000), "1000000.00");
}

}  // namespace
}  // namespace idpd::billing
