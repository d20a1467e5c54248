#include "federation/upstream_call.h"

#include <gtest/gtest.h>

#include "federation/login_state_store.h"

namespace idpd::federation {
namespace {

TEST(UpstreamCall, ReadsQqJsonpBodiesAndPlainJson) {
    auto me = jsonp_object("callback( {\"client_id\":\"1\",\"openid\":\"ABC\"} );\n");
    ASSERT_TRUE(me.is_object());
    EXPECT_EQ(member_text(me, "openid"), "ABC");
    EXPECT_EQ(member_text(jsonp_object("{\"error\":100020}"), "error"), "100020");
    EXPECT_TRUE(jsonp_object("callback( not json );").is_discarded());
    EXPECT_TRUE(jsonp_object("callback {").is_discarded());
}

TEST(UpstreamCall, BuildsQueriesAndBasicCredentials) {
    EXPECT_EQ(with_query("https://x/a", {{"k", "a b&c"}}), "https://x/a?k=a%20b%26c");
    EXPECT_EQ(with_query("https://x/a?z=1", {{"k", "v"}}), "https://x/a?z=1&k=v");
    EXPECT_EQ(basic_credentials("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuJTIwc2VzYW1l");
}

TEST(UpstreamCall, TokenErrorsAnsweredWith200AreRejections) {
    auto error = access_token_of({{"error", "bad_verification_code"}}, "github");
    ASSERT_FALSE(error);
    EXPECT_EQ(error.error().kind, Error::Kind::rejected);
    EXPECT_EQ(access_token_of({{"token_type", "bearer"}}, "x").error().kind,
              Error::Kind::malformed);
    EXPECT_EQ(*access_token_of({{"access_token", "t"}}, "x"), "t");
}

TEST(UpstreamCall, TransportFailuresAndServerErrorsAreUnavailable) {
    outbound::Result<outbound::Response> down =
        std::unexpected(outbound::CallError{outbound::CallError::Kind::timeout, "slow"});
    EXPECT_EQ(json_object(down, "x").error().kind, Error::Kind::unavailable);
    outbound::Response busy{503, {}, "{}"};
    EXPECT_EQ(json_object(busy, "x").error().kind, Error::Kind::unavailable);
    outbound::Response refused{401, {}, "{\"message\":\"Bad credentials\"}"};
    EXPECT_EQ(json_object(refused, "x").error().kind, Error::Kind::rejected);
    outbound::Response html{200, {}, "<html>"};
    EXPECT_EQ(json_object(html, "x").error().kind, Error::Kind::malformed);
}

TEST(LoginSecrets, VerifierAndNonceDependOnBrowserAndStateAndDiffer) {
    const std::string browser(64, 'a');
    const std::string state(64, 'b');
    const auto verifier = code_verifier(browser, state);
    EXPECT_EQ(verifier.size(), 43u);  // RFC 7636 §4.1: 43–128 characters
    EXPECT_NE(verifier, code_verifier(std::string(64, 'c'), state));
    EXPECT_NE(verifier, login_nonce(browser, state));
    // RFC 7636 Appendix B.
    EXPECT_EQ(code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace idpd::federation
