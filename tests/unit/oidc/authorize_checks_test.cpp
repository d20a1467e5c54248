// The /authorize checks one by one (authorize/check_*.cpp), PKCE verification and at_hash.
#include <gtest/gtest.h>

#include "oidc/authorize/checks.h"
#include "oidc/authorize/session_check.h"
#include "oidc/token/id_token.h"
#include "oidc/token/pkce.h"

namespace idpd::oidc {
namespace {

AuthorizeRequest request_of(std::map<std::string, std::string, std::less<>> params) {
    AuthorizeRequest request;
    request.params = std::move(params);
    return request;
}

TEST(RedirectUriMatch, IsExactExceptTheLoopbackPort) {
    EXPECT_TRUE(redirect_uri_matches("https://rp.example/cb", "https://rp.example/cb"));
    EXPECT_FALSE(redirect_uri_matches("https://rp.example/cb", "https://rp.example/cb/"));
    EXPECT_FALSE(redirect_uri_matches("https://rp.example/cb", "https://RP.example/cb"));
    EXPECT_FALSE(redirect_uri_matches("https://rp.example/cb", "https://rp.example:8443/cb"));
    EXPECT_FALSE(redirect_uri_matches("https://rp.example/cb", "https://rp.example/cb?x=1"));
    // RFC 8252 §7.3: any port on a loopback redirect URI.
    EXPECT_TRUE(redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:50000/cb"));
    EXPECT_TRUE(redirect_uri_matches("http://127.0.0.1:8000/cb", "http://127.0.0.1:9/cb"));
    EXPECT_TRUE(redirect_uri_matches("http://[::1]/cb", "http://[::1]:1234/cb"));
    EXPECT_TRUE(redirect_uri_matches("http://localhost/cb", "http://localhost:1234/cb"));
    EXPECT_FALSE(redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:1234/other"));
    EXPECT_FALSE(redirect_uri_matches("http://127.0.0.1/cb", "http://[::1]:1234/cb"));
    EXPECT_FALSE(redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:x/cb"));
    EXPECT_FALSE(redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1.evil/cb"));
    EXPECT_FALSE(redirect_uri_matches("https://127.0.0.1/cb", "https://127.0.0.1:1/cb"));
}

TEST(CheckRedirectUri, IsRequiredAndMustBeRegistered) {
    Client client;
    client.redirect_uris = {"https://rp.example/cb"};
    EXPECT_EQ(check_redirect_uri(client, request_of({})).error().code, ErrorCode::invalid_request);
    EXPECT_FALSE(check_redirect_uri(client, request_of({{"redirect_uri", "https://x/cb"}})));
    EXPECT_EQ(*check_redirect_uri(client, request_of({{"redirect_uri", "https://rp.example/cb"}})),
              "https://rp.example/cb");
}

TEST(CheckResponseType, OnlyCode) {
    EXPECT_TRUE(check_response_type(request_of({{"response_type", "code"}})));
    EXPECT_EQ(check_response_type(request_of({})).error().code, ErrorCode::invalid_request);
    for (const char* type : {"token", "id_token", "code id_token", "none"}) {
        EXPECT_EQ(check_response_type(request_of({{"response_type", type}})).error().code,
                  ErrorCode::unsupported_response_type)
            << type;
    }
}

TEST(CheckResponseMode, QueryByDefaultAndFormPost) {
    EXPECT_EQ(*check_response_mode(request_of({})), ResponseMode::query);
    EXPECT_EQ(*check_response_mode(request_of({{"response_mode", "query"}})), ResponseMode::query);
    EXPECT_EQ(*check_response_mode(request_of({{"response_mode", "form_post"}})),
              ResponseMode::form_post);
    EXPECT_FALSE(check_response_mode(request_of({{"response_mode", "fragment"}})));
}

TEST(CheckPkce, RequiresAnS256Challenge) {
    const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    EXPECT_TRUE(
        check_pkce(request_of({{"code_challenge", challenge}, {"code_challenge_method", "S256"}})));
    EXPECT_FALSE(check_pkce(request_of({})));
    EXPECT_FALSE(check_pkce(request_of({{"code_challenge", challenge}})));  // no implicit plain
    EXPECT_FALSE(check_pkce(
        request_of({{"code_challenge", challenge}, {"code_challenge_method", "plain"}})));
    EXPECT_FALSE(check_pkce(
        request_of({{"code_challenge", challenge + "A"}, {"code_challenge_method", "S256"}})));
    EXPECT_FALSE(check_pkce(request_of(
        {{"code_challenge", std::string(42, 'a') + "="}, {"code_challenge_method", "S256"}})));
}

TEST(CheckPrompt, KnownValuesAndNoneAlone) {
    auto prompt = check_prompt(request_of({{"prompt", "login consent"}}));
    ASSERT_TRUE(prompt);
    EXPECT_TRUE(prompt->login);
    EXPECT_TRUE(prompt->consent);
    EXPECT_FALSE(prompt->none);
    EXPECT_TRUE(check_prompt(request_of({{"prompt", "none"}}))->none);
    EXPECT_FALSE(check_prompt(request_of({{"prompt", "none login"}})));
    EXPECT_FALSE(check_prompt(request_of({{"prompt", "sometimes"}})));
}

TEST(CheckMaxAge, NonNegativeSeconds) {
    EXPECT_FALSE(*check_max_age(request_of({})));
    EXPECT_EQ(**check_max_age(request_of({{"max_age", "0"}})), 0);
    EXPECT_EQ(**check_max_age(request_of({{"max_age", "3600"}})), 3600);
    for (const char* bad : {"-1", "1.5", "abc", "12a", "99999999999"}) {
        EXPECT_FALSE(check_max_age(request_of({{"max_age", bad}}))) << bad;
    }
}

TEST(CheckScope, SubsetOfTheClientsScopes) {
    Client client;
    client.scopes = {"openid", "profile"};
    EXPECT_EQ(*check_scope(client, request_of({{"scope", "openid"}})),
              std::vector<std::string>{"openid"});
    EXPECT_EQ(check_scope(client, request_of({{"scope", "openid email"}})).error().code,
              ErrorCode::invalid_scope);
}

TEST(CheckNoRepeats, RefusesARepeatedParameter) {
    auto request = request_of({});
    EXPECT_TRUE(check_no_repeats(request));
    request.repeated = "state";
    EXPECT_EQ(check_no_repeats(request).error().code, ErrorCode::invalid_request);
}

TEST(CheckSession, SignInWhenMissingForcedOrTooOld) {
    const BrowserSession session{7, "1", 1000, "pwd"};
    const Prompt none{true, false, false, false};
    const Prompt login{false, true, false, false};
    EXPECT_EQ(check_session(std::nullopt, {}, {}, {}, 2000), SessionCheck::sign_in);
    EXPECT_EQ(check_session(std::nullopt, none, {}, {}, 2000), SessionCheck::login_required);
    EXPECT_EQ(check_session(session, {}, {}, {}, 2000), SessionCheck::proceed);
    EXPECT_EQ(check_session(session, login, {}, {}, 2000), SessionCheck::sign_in);
    EXPECT_EQ(check_session(session, {}, 1000, {}, 2000), SessionCheck::proceed);
    EXPECT_EQ(check_session(session, {}, 999, {}, 2000), SessionCheck::sign_in);
    EXPECT_EQ(check_session(session, none, 999, {}, 2000), SessionCheck::login_required);
    EXPECT_EQ(check_session(session, {}, {}, 1001, 2000), SessionCheck::sign_in);
    EXPECT_EQ(check_session(session, {}, {}, 1000, 2000), SessionCheck::proceed);
}

TEST(Pkce, VerifierFormAndRfc7636Vector) {
    // RFC 7636 Appendix B.
    EXPECT_TRUE(verifier_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                 "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    EXPECT_FALSE(verifier_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl",
                                  "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    EXPECT_TRUE(is_code_verifier(std::string(43, 'a')));
    EXPECT_TRUE(is_code_verifier(std::string(128, '~')));
    EXPECT_FALSE(is_code_verifier(std::string(42, 'a')));
    EXPECT_FALSE(is_code_verifier(std::string(129, 'a')));
    EXPECT_FALSE(is_code_verifier(std::string(42, 'a') + "+"));
}

TEST(AtHash, LeftHalfOfTheAlgsHash) {
    // Expected value from Python: urlsafe_b64encode(sha256(token).digest()[:16]).
    const std::string rs = at_hash(jose::Alg::rs256, "jHkWEdUXMU1BwAsC4vtUsZwnNnhsI1e6");
    EXPECT_EQ(rs, "McSoYqfwKn7ALPBbswkmPQ");
    EXPECT_EQ(rs, at_hash(jose::Alg::es256, "jHkWEdUXMU1BwAsC4vtUsZwnNnhsI1e6"));
    EXPECT_EQ(at_hash(jose::Alg::eddsa, "x"), "pKvURIxJVi2CgRXROh_M6pJ_UrTVRZKX-LQ-QtqJI4s");
}

}  // namespace
}  // namespace idpd::oidc
