#include "web/return_to.h"

#include <gtest/gtest.h>

namespace idpd::web {
namespace {

TEST(ReturnTo, AcceptsPathsOnThisHost) {
    EXPECT_EQ(safe_return_to("/account"), "/account");
    EXPECT_EQ(safe_return_to("/"), "/");
    EXPECT_EQ(safe_return_to("/authorize?client_id=a&redirect_uri=https%3A%2F%2Frp.example"),
              "/authorize?client_id=a&redirect_uri=https%3A%2F%2Frp.example");
    EXPECT_EQ(safe_return_to("/a/b#frag"), "/a/b#frag");
}

TEST(ReturnTo, RefusesOtherHostsAndTricks) {
    for (std::string_view target :
         {"", "account", "//evil.example", "//evil.example/path", "/\\evil.example",
          "\\\\evil.example", "/a\\b", "https://evil.example", "http://localhost/account",
          "javascript:alert(1)", "data:text/html,x", " /account", "/\t/evil.example",
          "/\n/evil.example", "/acc\rount", "/acc\x7f", "/caf\xc3\xa9", "/a b"}) {
        EXPECT_FALSE(safe_return_to(target)) << "accepted: " << target;
    }
    EXPECT_FALSE(safe_return_to(std::string_view("/a\0b", 4)));
    EXPECT_FALSE(safe_return_to("/" + std::string(2048, 'a')));
    EXPECT_TRUE(safe_return_to("/" + std::string(2047, 'a')));
}

}  // namespace
}  // namespace idpd::web
