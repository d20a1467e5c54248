#include "web/form_input.h"

#include <gtest/gtest.h>

namespace idpd::web {
namespace {

TEST(FormInput, Problems) {
    EXPECT_EQ(check_input("alice", 20, false), std::nullopt);
    EXPECT_EQ(check_input("张三_01", 20, false), std::nullopt);
    EXPECT_EQ(check_input(std::string(21, 'a'), 20, false), InputProblem::too_long);
    EXPECT_EQ(check_input("a\xff", 20, false), InputProblem::invalid_utf8);
    EXPECT_EQ(check_input("a\xc0\xaf", 20, false), InputProblem::invalid_utf8);  // overlong '/'
    EXPECT_EQ(check_input("a\x01", 20, false), InputProblem::control_character);
    EXPECT_EQ(check_input("a\nb", 20, false), InputProblem::control_character);
    EXPECT_EQ(check_input("a\xc2\x85", 20, false), InputProblem::control_character);  // NEL
    EXPECT_EQ(check_input("a\xe2\x80\xa8", 20, false), InputProblem::control_character);
    EXPECT_EQ(check_input("<b>hi</b>", 20, false), InputProblem::markup);
    EXPECT_EQ(check_input("<b>hi</b>", 20, true), std::nullopt);
    EXPECT_EQ(check_input("pass word", 20, true), std::nullopt);
}

TEST(FormInput, FirstValueWins) {
    http::HttpRequest req;
    req.body = "a=1&b=x+y&a=2&c=%E4%B8%AD";
    Form form(req);
    EXPECT_EQ(form.get("a"), "1");
    EXPECT_EQ(form.get("b"), "x y");
    EXPECT_EQ(form.get("c"), "中");
    EXPECT_EQ(form.get("d"), "");
    EXPECT_TRUE(form.has("a"));
    EXPECT_FALSE(form.has("d"));
}

}  // namespace
}  // namespace idpd::web
