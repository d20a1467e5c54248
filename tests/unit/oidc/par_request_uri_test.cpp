// The request_uri /par hands out is recognised again, and nothing else passes as one.
#include <gtest/gtest.h>

#include "oidc/par_endpoint.h"

namespace idpd::oidc {
namespace {

TEST(RequestUriReference, OnlyOurUrnWithA256BitReferencePasses) {
    const std::string reference(43, 'a');
    EXPECT_EQ(request_uri_reference("urn:ietf:params:oauth:request_uri:" + reference), reference);
    const std::string mixed = "abc-_DEF0123456789abcdefghijklmnopqrstuvwxy";
    ASSERT_EQ(mixed.size(), 43u);
    EXPECT_EQ(request_uri_reference("urn:ietf:params:oauth:request_uri:" + mixed), mixed);
    EXPECT_FALSE(request_uri_reference(reference));
    EXPECT_FALSE(request_uri_reference("urn:ietf:params:oauth:request_uri:" + reference + "a"));
    EXPECT_FALSE(
        request_uri_reference("urn:ietf:params:oauth:request_uri:" + reference.substr(1) + "="));
    EXPECT_FALSE(request_uri_reference("https://rp.example/request.jwt"));
    EXPECT_FALSE(request_uri_reference("URN:IETF:PARAMS:OAUTH:REQUEST_URI:" + reference));
}

}  // namespace
}  // namespace idpd::oidc
