#include "http/request.h"

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

TEST(Request, QueryParametersAreDecodedInOrder) {
    HttpRequest req;
    req.query = "scope=openid+profile&redirect_uri=https%3A%2F%2Frp.example%2Fcb&x=%E4%B8%AD&flag";
    auto params = req.query_params();
    ASSERT_EQ(params.size(), 4u);
    EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"scope", "openid profile"}));
    EXPECT_EQ(params[1].second, "https://rp.example/cb");
    EXPECT_EQ(params[2].second, "中");
    EXPECT_EQ(params[3], (std::pair<std::string, std::string>{"flag", ""}));
}

// The same parser reads upstream answers (QQ's token, Alipay's notices): '+' is a space, a
// field without '=' has an empty value.
TEST(Request, FormBodiesAreDecodedWithPlusAsSpace) {
    auto fields =
        parse_urlencoded("access_token=FE04%2Bx&expires_in=7776000&refresh_token=a+b&junk");
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0].second, "FE04+x");
    EXPECT_EQ(fields[2].second, "a b");
    EXPECT_EQ(fields[3], (std::pair<std::string, std::string>{"junk", ""}));
}

TEST(Request, MalformedEscapesStayLiteral) {
    EXPECT_EQ(url_decode("100%", false), "100%");
    EXPECT_EQ(url_decode("%zz%4", false), "%zz%4");
    EXPECT_EQ(url_decode("a+b", false), "a+b");
}

TEST(Request, EncodeKeepsOnlyUnreserved) {
    EXPECT_EQ(url_encode("a b/中~"), "a%20b%2F%E4%B8%AD~");
}

TEST(Request, HeaderNamesIgnoreCase) {
    Headers h;
    h.set("Content-Type", "text/plain");
    EXPECT_EQ(h.get("content-type"), "text/plain");
    h.add("Set-Cookie", "a=1");
    h.add("set-cookie", "b=2");
    EXPECT_EQ(h.fields().size(), 3u);
    h.set("SET-COOKIE", "c=3");
    EXPECT_EQ(h.fields().size(), 2u);
    h.remove("content-TYPE");
    EXPECT_FALSE(h.has("Content-Type"));
}

TEST(Request, MethodNamesRoundTrip) {
    for (auto m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options}) {
        EXPECT_EQ(parse_method(method_name(m)), m);
    }
    EXPECT_FALSE(parse_method("TRACE"));
}

}  // namespace
}  // namespace idpd::http
