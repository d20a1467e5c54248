// The captcha picture: only path strokes (no <text>, no font, never the code in the markup),
// a different picture each time, and a valid SVG that librsvg renders at the stated size.
#include "auth/captcha_image.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <unistd.h>

namespace idpd::auth {
namespace {

using testing::HasSubstr;
using testing::Not;

std::string upper(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

TEST(CaptchaImage, CodesUseOnlyTheUnambiguousAlphabet) {
    std::set<char> seen;
    for (int i = 0; i < 500; ++i) {
        const std::string code = captcha_code(system_random());
        ASSERT_EQ(code.size(), captcha_length);
        for (char c : code) {
            EXPECT_NE(captcha_alphabet.find(c), std::string_view::npos) << code;
            seen.insert(c);
        }
    }
    EXPECT_EQ(seen.size(), captcha_alphabet.size());  // every character turns up
    for (char confusable : std::string_view("0O1IL2Z5S8B6G")) {
        EXPECT_EQ(captcha_alphabet.find(confusable), std::string_view::npos) << confusable;
    }
}

TEST(CaptchaImage, TheMarkupHoldsNoTextAndNeverTheCode) {
    std::set<std::string> pictures;
    for (int i = 0; i < 200; ++i) {
        const std::string code = captcha_code(system_random());
        const std::string svg = draw_captcha(code, system_random());
        EXPECT_THAT(svg, Not(HasSubstr("<text")));
        EXPECT_THAT(svg, Not(HasSubstr("font")));
        EXPECT_THAT(upper(svg), Not(HasSubstr(code))) << svg;
        EXPECT_THAT(svg, HasSubstr("<path d=\"M"));
        pictures.insert(svg);
    }
    EXPECT_EQ(pictures.size(), 200u);
    // The same code twice is drawn differently.
    EXPECT_NE(draw_captcha("AC347", system_random()), draw_captcha("AC347", system_random()));
}

TEST(CaptchaImage, RsvgRendersItAtTheStatedSize) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("idpd-captcha-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "c.svg") << draw_captcha(captcha_code(system_random()), system_random());
    const std::string command = "rsvg-convert -o '" + (dir / "c.png").string() + "' '" +
                                (dir / "c.svg").string() + "' 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "is librsvg2-bin installed?";
    std::ifstream png(dir / "c.png", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(png)), std::istreambuf_iterator<char>());
    std::filesystem::remove_all(dir);
    ASSERT_GT(bytes.size(), 24u);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    auto be32 = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[at])) << 24 |
               static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
               static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
               static_cast<unsigned char>(bytes[at + 3]);
    };
    EXPECT_EQ(be32(16), static_cast<unsigned>(captcha_width));  // IHDR width
    EXPECT_EQ(be32(20), static_cast<unsigned>(captcha_height));
}

}  // namespace
}  // namespace idpd::auth
