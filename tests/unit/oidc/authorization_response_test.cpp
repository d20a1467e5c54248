// authorize/authorization_response.cpp: where the parameters go in each response mode, and the
// form_post page's own CSP.
#include "oidc/authorize/authorization_response.h"

#include <gmock/gmock.h>

namespace idpd::oidc {
namespace {

using testing::HasSubstr;

TEST(AuthorizationResponse, QueryModeAppendsToAnExistingQuery) {
    auto r = authorization_response(ResponseMode::query, "https://rp.example/cb?x=1",
                                    {{"code", "a b"}, {"iss", "https://id.example"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.headers.get("Location"),
              "https://rp.example/cb?x=1&code=a%20b&iss=https%3A%2F%2Fid.example");
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
}

TEST(AuthorizationResponse, FormPostEscapesValuesAndAllowsOnlyTheTargetsOrigin) {
    auto r = authorization_response(ResponseMode::form_post, "https://rp.example:8443/cb;x?y=1",
                                    {{"state", "\"><script>"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_THAT(r.body, HasSubstr("value=\"&quot;&gt;&lt;script&gt;\""));
    EXPECT_THAT(r.body, testing::Not(HasSubstr("<script>")));
    EXPECT_EQ(r.headers.get("Content-Security-Policy"),
              "default-src 'none'; form-action https://rp.example:8443; frame-ancestors 'none'; "
              "base-uri 'none'");
    auto native = authorization_response(ResponseMode::form_post, "com.example.app:/cb", {});
    EXPECT_THAT(native.headers.get("Content-Security-Policy").value_or(""),
                HasSubstr("form-action com.example.app:;"));
}

TEST(AuthorizeErrorPage, NamesTheErrorAndNeverRedirects) {
    http::HttpRequest req;
    auto r = authorize_error_page(req, Error{ErrorCode::invalid_request, "bad <uri>\r\n", "x"});
    EXPECT_EQ(r.status, 400);
    EXPECT_FALSE(r.headers.get("Location"));
    EXPECT_THAT(r.body, HasSubstr("invalid_request: bad &lt;uri&gt;??"));
}

}  // namespace
}  // namespace idpd::oidc
