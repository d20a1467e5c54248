// Which redirect_uris a client may register (RFC 6749 §3.1.2, RFC 8252 §7).
#include "oidc/redirect_uri.h"

#include <gtest/gtest.h>

namespace idpd::oidc {
namespace {

TEST(RedirectUri, AcceptsHttpsLoopbackHttpAndReverseDomainSchemes) {
    for (const char* uri : {"https://app.example.com/cb", "https://app.example.com:8443/cb?x=1",
                            "http://127.0.0.1:7777/cb", "http://[::1]/cb", "http://localhost:3000/",
                            "com.example.app:/oauth2redirect", "com.example.app://callback"}) {
        EXPECT_TRUE(validate_redirect_uri(uri)) << uri;
    }
}

TEST(RedirectUri, RefusesRelativeFragmentsPlainHttpAndDangerousSchemes) {
    for (const char* uri :
         {"", "/cb", "app.example.com/cb", "https://app.example.com/cb#frag", "https:///cb",
          "http://app.example.com/cb", "http://127.0.0.1.example.com/cb", "javascript:alert(1)",
          "data:text/html,x", "file:///etc/passwd", "https://user@evil.example/cb",
          "https://app.example.com/c b", "https://app.example.com/\r\ncb",
          "com.example.app:", "1abc.example:/cb"}) {
        auto result = validate_redirect_uri(uri);
        EXPECT_FALSE(result) << uri;
        if (!result) {
            EXPECT_EQ(result.error().code, ErrorCode::invalid_request);
        }
    }
}

TEST(RedirectUri, RefusesOverlongUris) {
    EXPECT_FALSE(validate_redirect_uri("https://a.example/" + std::string(2048, 'a')));
}

}  // namespace
}  // namespace idpd::oidc
