// The /dev/outbox body renderer: only http(s) URLs become links, and a URL ends where text
// would (whitespace, quotes, angle brackets, trailing punctuation, CJK text).
#include <gtest/gtest.h>

#include "web/dev_outbox_pages.h"

namespace idpd::web {
namespace {

std::string show(const std::vector<TextPiece>& pieces) {
    std::string out;
    for (const auto& p : pieces) {
        out += p.is_link ? "[" + p.text + "]" : p.text;
    }
    return out;
}

TEST(DevOutboxLinks, HttpAndHttpsUrlsBecomeLinksAndTheRestStaysText) {
    EXPECT_EQ(
        show(link_pieces("Open https://id.example/v?t=a&x=1 now.\nOr http://localhost:8080/x.")),
        "Open [https://id.example/v?t=a&x=1] now.\nOr [http://localhost:8080/x].");
    EXPECT_EQ(show(link_pieces("请打开https://id.example/v?t=1完成验证")),
              "请打开[https://id.example/v?t=1]完成验证");
    EXPECT_EQ(show(link_pieces("(see https://a.example/b), \"https://c.example/\"<x>")),
              "(see [https://a.example/b]), \"[https://c.example/]\"<x>");
}

TEST(DevOutboxLinks, OtherSchemesAndBareSchemesAreNotLinks) {
    EXPECT_EQ(show(link_pieces("javascript:alert(1) data:text/html,x ftp://x")),
              "javascript:alert(1) data:text/html,x ftp://x");
    EXPECT_EQ(show(link_pieces("https:// alone")), "https:// alone");
    EXPECT_EQ(show(link_pieces("")), "");
}

}  // namespace
}  // namespace idpd::web
