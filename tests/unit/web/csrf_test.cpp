#include "web/csrf.h"

#include <gtest/gtest.h>

#include "web/cookies.h"

namespace idpd::web {
namespace {

const std::string secret(64, 'a');

TEST(Csrf, TokenIsDerivedAndChecked) {
    const std::string token = csrf_token(secret);
    EXPECT_EQ(token.size(), 64u);
    EXPECT_NE(token, secret);
    EXPECT_EQ(token, csrf_token(secret));
    EXPECT_NE(token, csrf_token(std::string(64, 'b')));
    EXPECT_TRUE(csrf_token_matches(token, secret));
    EXPECT_FALSE(csrf_token_matches(token, std::string(64, 'b')));
    EXPECT_FALSE(csrf_token_matches("", secret));
    EXPECT_FALSE(csrf_token_matches(token, ""));
    EXPECT_FALSE(csrf_token_matches(token.substr(0, 63), secret));
    EXPECT_FALSE(csrf_token_matches(token + "0", secret));
    std::string flipped = token;
    flipped[10] = flipped[10] == '0' ? '1' : '0';
    EXPECT_FALSE(csrf_token_matches(flipped, secret));
    EXPECT_FALSE(csrf_token_matches(secret, secret));  // the cookie itself is not the token
}

TEST(Csrf, OriginOfAnIssuer) {
    EXPECT_EQ(origin_of("https://id.example.com"), "https://id.example.com");
    EXPECT_EQ(origin_of("https://id.example.com/tenant/a"), "https://id.example.com");
    EXPECT_EQ(origin_of("http://localhost:8080/x?y"), "http://localhost:8080");
    EXPECT_EQ(origin_of("not a url"), "");
}

http::HttpRequest post_with(std::string_view header, std::string value) {
    http::HttpRequest req;
    req.method = http::Method::post;
    req.headers.set(header, std::move(value));
    return req;
}

TEST(Csrf, SameOriginByOriginOrReferer) {
    const std::string origin = "https://id.example.com";
    EXPECT_TRUE(same_origin_request(post_with("Origin", origin), origin));
    EXPECT_FALSE(same_origin_request(post_with("Origin", "https://evil.example"), origin));
    EXPECT_FALSE(same_origin_request(post_with("Origin", "null"), origin));
    EXPECT_FALSE(same_origin_request(post_with("Origin", "http://id.example.com"), origin));
    EXPECT_FALSE(
        same_origin_request(post_with("Origin", "https://id.example.com.evil.example"), origin));
    EXPECT_TRUE(same_origin_request(post_with("Referer", origin + "/signin?x=1"), origin));
    EXPECT_FALSE(
        same_origin_request(post_with("Referer", "https://evil.example/" + origin), origin));
    EXPECT_TRUE(same_origin_request(http::HttpRequest{}, origin));
    // Origin wins over a Referer that looks right.
    auto both = post_with("Origin", "https://evil.example");
    both.headers.set("Referer", origin + "/signin");
    EXPECT_FALSE(same_origin_request(both, origin));
}

TEST(Cookies, SecureAndPlainForms) {
    CookiePolicy secure{true};
    EXPECT_EQ(secure.name("idpd_session"), "__Host-idpd_session");
    EXPECT_EQ(secure.set("idpd_session", "v", std::nullopt),
              "__Host-idpd_session=v; Path=/; HttpOnly; Secure; SameSite=Lax");
    EXPECT_EQ(secure.set("idpd_session", "v", std::chrono::seconds(60)),
              "__Host-idpd_session=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax");
    EXPECT_EQ(secure.clear("idpd_session"),
              "__Host-idpd_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
    CookiePolicy plain{false};
    EXPECT_EQ(plain.set("idpd_session", "v", std::nullopt),
              "idpd_session=v; Path=/; HttpOnly; SameSite=Lax");
}

TEST(Cookies, ReadsTheNamedCookie) {
    http::HttpRequest req;
    req.headers.add("Cookie", "a=1; __Host-idpd_session=abc; idpd_session=plain");
    req.headers.add("cookie", "b=2");
    EXPECT_EQ(cookie_value(req, "__Host-idpd_session"), "abc");
    EXPECT_EQ(cookie_value(req, "idpd_session"), "plain");
    EXPECT_EQ(cookie_value(req, "b"), "2");
    EXPECT_EQ(cookie_value(req, "idpd"), std::nullopt);
    EXPECT_EQ(cookie_value(http::HttpRequest{}, "a"), std::nullopt);
}

}  // namespace
}  // namespace idpd::web
