// Reading client credentials from a request (RFC 6749 §2.3), and the form rules (§3.1, §3.2).
#include "oidc/client_auth.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "oidc/form.h"

namespace idpd::oidc {
namespace {

std::string base64(const std::string& text) {
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

http::HttpRequest post(std::string body, std::optional<std::string> authorization = {}) {
    http::HttpRequest req;
    req.method = http::Method::post;
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (authorization) {
        req.headers.set("Authorization", *authorization);
    }
    req.body = std::move(body);
    return req;
}

Result<ClientCredentials> read(const http::HttpRequest& req) {
    auto form = FormParams::parse(req);
    if (!form) {
        return std::unexpected(form.error());
    }
    return read_client_credentials(req, *form);
}

TEST(ClientCredentials, BasicDecodesFormUrlencodedIdAndSecret) {
    // RFC 6749 §2.3.1: id "my:client" and secret "p@ss word/ü" are form-urlencoded first.
    auto credentials = read(post("grant_type=client_credentials",
                                 "Basic " + base64("my%3Aclient:p%40ss+word%2F%C3%BC")));
    ASSERT_TRUE(credentials) << credentials.error().description;
    EXPECT_EQ(credentials->method, AuthMethod::client_secret_basic);
    EXPECT_EQ(credentials->client_id, "my:client");
    EXPECT_EQ(credentials->client_secret, "p@ss word/\xC3\xBC");
}

TEST(ClientCredentials, BasicSchemeIsCaseInsensitive) {
    auto credentials = read(post("", "basic " + base64("a:b")));
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->client_id, "a");
}

TEST(ClientCredentials, PostCarriesIdAndSecretInTheBody) {
    auto credentials = read(post("client_id=svc&client_secret=s3cret"));
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->method, AuthMethod::client_secret_post);
    EXPECT_EQ(credentials->client_id, "svc");
    EXPECT_EQ(credentials->client_secret, "s3cret");
}

TEST(ClientCredentials, ClientIdAloneIsAPublicClient) {
    auto credentials = read(post("client_id=spa"));
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->method, AuthMethod::none);
    EXPECT_FALSE(credentials->client_secret);
}

TEST(ClientCredentials, TwoMethodsAtOnceAreInvalidRequest) {
    auto credentials = read(post("client_secret=x", "Basic " + base64("a:b")));
    ASSERT_FALSE(credentials);
    EXPECT_EQ(credentials.error().code, ErrorCode::invalid_request);
}

TEST(ClientCredentials, BodyClientIdMustMatchTheHeader) {
    auto credentials = read(post("client_id=other", "Basic " + base64("a:b")));
    ASSERT_FALSE(credentials);
    EXPECT_EQ(credentials.error().code, ErrorCode::invalid_request);
    EXPECT_TRUE(read(post("client_id=a", "Basic " + base64("a:b"))));
}

TEST(ClientCredentials, MalformedBasicIsInvalidRequest) {
    for (const std::string& header :
         std::vector<std::string>{"Basic !!!!", "Basic " + base64("nocolon"), "Bearer abc", "Basic",
                                  "Basic " + base64(":secret")}) {
        auto credentials = read(post("", header));
        ASSERT_FALSE(credentials) << header;
        EXPECT_EQ(credentials.error().code, ErrorCode::invalid_request) << header;
    }
}

TEST(ClientCredentials, NoIdentificationIsInvalidClient) {
    auto credentials = read(post("grant_type=client_credentials"));
    ASSERT_FALSE(credentials);
    EXPECT_EQ(credentials.error().code, ErrorCode::invalid_client);
}

TEST(FormParams, RepeatedParameterIsInvalidRequest) {
    for (const char* body : {"scope=a&scope=b", "scope=&scope=b", "grant_type=x&grant_type=x"}) {
        auto form = FormParams::parse(post(body));
        ASSERT_FALSE(form) << body;
        EXPECT_EQ(form.error().code, ErrorCode::invalid_request);
    }
}

TEST(FormParams, EmptyValueCountsAsAbsent) {
    auto form = FormParams::parse(post("scope=&grant_type=client_credentials"));
    ASSERT_TRUE(form);
    EXPECT_FALSE(form->get("scope"));
    EXPECT_EQ(form->get("grant_type"), "client_credentials");
}

TEST(FormParams, BodyMustBeFormUrlencoded) {
    auto req = post("grant_type=client_credentials");
    req.headers.set("Content-Type", "application/json");
    EXPECT_FALSE(FormParams::parse(req));
    req.headers.set("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
    EXPECT_TRUE(FormParams::parse(req));
}

}  // namespace
}  // namespace idpd::oidc
