#include "jose/base64url.h"

#include <string>

#include <gtest/gtest.h>

namespace idpd::jose {
namespace {

TEST(Base64url, EncodesRfc4648VectorsWithoutPadding) {
    // RFC 4648 §10, with the padding dropped as RFC 7515 §2 requires.
    EXPECT_EQ(base64url_encode(""), "");
    EXPECT_EQ(base64url_encode("f"), "Zg");
    EXPECT_EQ(base64url_encode("fo"), "Zm8");
    EXPECT_EQ(base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
    EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
    EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
    EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
    EXPECT_EQ(base64url_decode("-_-_").value(), "\xfb\xff\xbf");
}

TEST(Base64url, RoundTripsEveryByteAtEveryLength) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
        auto decoded = base64url_decode(base64url_encode(bytes));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, bytes);
    }
}

TEST(Base64url, RefusesPadding) {
    EXPECT_FALSE(base64url_decode("Zg==").has_value());
    EXPECT_FALSE(base64url_decode("Zm8=").has_value());
}

TEST(Base64url, RefusesWhitespace) {
    EXPECT_FALSE(base64url_decode("Zm9v Yg").has_value());
    EXPECT_FALSE(base64url_decode("Zm9v\nYg").has_value());
    EXPECT_FALSE(base64url_decode("Zm9vYg\r\n").has_value());
}

TEST(Base64url, RefusesTheStandardAlphabetsPlusAndSlash) {
    EXPECT_FALSE(base64url_decode("+/+/").has_value());
}

TEST(Base64url, RefusesCharactersOutsideTheAlphabet) {
    EXPECT_FALSE(base64url_decode("Zm9v.").has_value());
    EXPECT_FALSE(base64url_decode(std::string("Zm\0v", 4)).has_value());
    EXPECT_FALSE(base64url_decode("Zm9\xc3\xa9").has_value());
}

TEST(Base64url, RefusesALengthThatEncodesNoWholeByte) {
    auto decoded = base64url_decode("Zm9vY");
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, ErrorCode::malformed);
}

TEST(Base64url, RefusesNonCanonicalTrailingBits) {
    EXPECT_EQ(base64url_decode("QQ").value(), "A");
    EXPECT_FALSE(base64url_decode("QR").has_value());  // would also be "A"
    EXPECT_EQ(base64url_decode("QUE").value(), "AA");
    EXPECT_FALSE(base64url_decode("QUF").has_value());  // would also be "AA"
}

}  // namespace
}  // namespace idpd::jose
