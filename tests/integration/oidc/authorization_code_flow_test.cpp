// The authorization code flow through the whole app in-process: a browser signs up or in through
// the pages, /authorize answers with a code (or an error page, or a redirect with the error and
// iss), /token trades the code for tokens once, and the ID token verifies against /jwks.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "account/user_store.h"
#include "integration/browser.h"
#include "integration/oidc/authorization_code_fixture.h"
#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "oidc/client_store.h"
#include "oidc/token/id_token.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using testing::HasSubstr;

TEST_F(AuthorizationCodeFlowTest, FullFlowGivesTokensAndAnIdTokenThatVerifiesAgainstJwks) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("alice");
    const std::string code = code_from(b.get(authorize_url("app")));
    ASSERT_EQ(code.size(), 43u);

    auto token = redeem("app", code);
    ASSERT_EQ(token.status, 200) << token.body;
    EXPECT_EQ(token.headers.get("Cache-Control"), "no-store");
    auto body = json::parse(token.body);
    EXPECT_EQ(body["token_type"], "Bearer");
    EXPECT_EQ(body["scope"], "openid profile");
    EXPECT_EQ(body["expires_in"], 600);
    ASSERT_TRUE(body.contains("id_token"));

    auto jwks = get("/jwks");
    auto keys = jose::KeySet::from_jwks(json::parse(jwks.body));
    ASSERT_TRUE(keys);
    jose::JwtRules rules;
    rules.type = jose::TokenType::jwt;
    rules.issuer = std::string(origin);
    rules.audience = "app";
    auto verified = jose::verify_jwt(body["id_token"].get<std::string>(), *keys, rules,
                                     std::chrono::system_clock::now());
    ASSERT_TRUE(verified) << verified.error().detail;
    const auto& claims = verified->claims;
    account::UserStore users{*db_};
    const auto alice = users.find_by_username("alice");
    ASSERT_TRUE(alice);
    EXPECT_EQ(claims["sub"], std::to_string(alice->id));
    EXPECT_EQ(claims["nonce"], "n-1");
    EXPECT_EQ(claims["amr"], json::array({"pwd"}));
    EXPECT_TRUE(claims["sid"].is_string());
    EXPECT_TRUE(claims["auth_time"].is_number_integer());
    EXPECT_EQ(claims["at_hash"],
              oidc::at_hash(jose::Alg::rs256, body["access_token"].get<std::string>()));
    EXPECT_EQ(verified->header["alg"], "RS256");
}

TEST_F(AuthorizationCodeFlowTest, UserinfoGivesTheClaimsOfTheTokensScopes) {
    add_client("jwt", oidc::AccessTokenFormat::jwt);
    add_client("opaque", oidc::AccessTokenFormat::opaque);
    Browser b = signed_up("kathy");
    account::UserStore users{*db_};
    const auto kathy = users.find_by_username("kathy");
    ASSERT_TRUE(kathy);
    const std::string sub = std::to_string(kathy->id);
    auto token_for = [&](const std::string& client, const std::string& scope) {
        auto r = redeem(client, code_from(b.get(authorize_url(client, {{"scope", scope}}))));
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body)["access_token"].get<std::string>();
    };
    for (const char* client : {"jwt", "opaque"}) {
        auto all = userinfo(token_for(client, "openid profile email"));
        ASSERT_EQ(all.status, 200) << all.body;
        EXPECT_EQ(all.headers.get("Cache-Control"), "no-store");
        auto claims = json::parse(all.body);
        EXPECT_EQ(claims["sub"], sub);
        EXPECT_EQ(claims["preferred_username"], "kathy");
        EXPECT_TRUE(claims["name"].is_string());
        EXPECT_TRUE(claims["updated_at"].is_number_integer());
        EXPECT_EQ(claims["email"], "kathy@example.com");
        EXPECT_EQ(claims["email_verified"], false);

        auto only_openid = json::parse(userinfo(token_for(client, "openid"), true).body);
        // No profile claims; the sign-in behind the token (acr, amr, auth_time: issue 5).
        EXPECT_EQ(only_openid["sub"], sub) << client;
        EXPECT_FALSE(only_openid.contains("preferred_username")) << client;
        EXPECT_FALSE(only_openid.contains("email")) << client;
        EXPECT_EQ(only_openid["amr"], json::array({"pwd"})) << client;
        EXPECT_TRUE(only_openid["auth_time"].is_number_integer()) << client;
        auto email_only = json::parse(userinfo(token_for(client, "openid email")).body);
        EXPECT_FALSE(email_only.contains("preferred_username"));
        EXPECT_EQ(email_only["email"], "kathy@example.com");

        auto no_openid = userinfo(token_for(client, "read"));
        EXPECT_EQ(no_openid.status, 403);
        EXPECT_THAT(no_openid.headers.get("WWW-Authenticate").value_or(""),
                    HasSubstr("error=\"insufficient_scope\""));
    }
    auto bad = userinfo("not-a-token");
    EXPECT_EQ(bad.status, 401);
    EXPECT_THAT(bad.headers.get("WWW-Authenticate").value_or(""),
                HasSubstr("Bearer realm=\"idpd\", error=\"invalid_token\""));
    auto none = get("/userinfo");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.headers.get("WWW-Authenticate"), "Bearer realm=\"idpd\"");

    // A revoked token (a replayed code) reads as invalid.
    const std::string code = code_from(b.get(authorize_url("opaque")));
    const auto first = json::parse(redeem("opaque", code).body);
    EXPECT_EQ(userinfo(first["access_token"]).status, 200);
    EXPECT_EQ(redeem("opaque", code).status, 400);
    EXPECT_EQ(userinfo(first["access_token"]).status, 401);
}

TEST_F(AuthorizationCodeFlowTest, NoSessionSignsInWithTheHintAndComesBackForTheCode) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    signed_up("bobby");
    Browser b(*app_);
    auto first = b.get(authorize_url("app", {{"login_hint", "bobby"}}));
    ASSERT_EQ(first.status, 303);
    const auto to_signin = first.headers.get("Location").value_or("");
    ASSERT_TRUE(to_signin.starts_with("/signin?return_to=%2Fauthorize%3F")) << to_signin;

    auto page = b.get(to_signin);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(Browser::input_value(page.body, "identifier"), "bobby");
    const std::string return_to = Browser::input_value(page.body, "return_to");
    ASSERT_TRUE(return_to.starts_with("/authorize?")) << return_to;

    auto signed_in = b.post("/signin", {{"identifier", "bobby"},
                                        {"password", std::string(password)},
                                        {"return_to", return_to},
                                        {"csrf", Browser::input_value(page.body, "csrf")}});
    ASSERT_EQ(signed_in.status, 303) << signed_in.body;
    const auto back = signed_in.headers.get("Location").value_or("");
    ASSERT_TRUE(back.starts_with("/authorize?")) << back;
    const std::string code = code_from(b.get(back));
    EXPECT_EQ(redeem("app", code).status, 200);
}

TEST_F(AuthorizationCodeFlowTest, UnknownClientAndBadRedirectUriGetAPageNeverARedirect) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("carol");
    for (const auto& url : {authorize_url("nobody"),
                            authorize_url("app", {{"redirect_uri", "https://evil.example/cb"}}),
                            authorize_url("app", {{"redirect_uri", ""}}),
                            authorize_url("app", {{"redirect_uri", std::string(redirect) + "/x"}}),
                            authorize_url("app") + "&client_id=app"}) {
        auto r = b.get(url);
        EXPECT_EQ(r.status, 400) << url;
        EXPECT_FALSE(r.headers.get("Location")) << url;
        EXPECT_THAT(r.body, HasSubstr("invalid_request")) << url;
    }
}

TEST_F(AuthorizationCodeFlowTest, LoopbackRedirectUriMayUseAnyPort) {
    add_client("native", oidc::AccessTokenFormat::jwt, {"http://127.0.0.1/callback"});
    Browser b = signed_up("dave");
    auto r = b.get(authorize_url("native", {{"redirect_uri", "http://127.0.0.1:53123/callback"}}));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_TRUE(r.headers.get("Location")->starts_with("http://127.0.0.1:53123/callback?code="));
    auto other_path =
        b.get(authorize_url("native", {{"redirect_uri", "http://127.0.0.1:53123/other"}}));
    EXPECT_EQ(other_path.status, 400);
}

TEST_F(AuthorizationCodeFlowTest, ErrorsAfterTheRedirectUriIsTrustedAreRedirectedWithIss) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("erin");
    const std::map<std::string, std::pair<std::map<std::string, std::string>, std::string>> cases{
        {"no pkce", {{{"code_challenge", ""}}, "invalid_request"}},
        {"plain", {{{"code_challenge_method", "plain"}}, "invalid_request"}},
        {"token", {{{"response_type", "token"}}, "unsupported_response_type"}},
        {"scope", {{{"scope", "openid admin"}}, "invalid_scope"}},
        {"prompt", {{{"prompt", "none login"}}, "invalid_request"}},
    };
    for (const auto& [name, c] : cases) {
        auto r = b.get(authorize_url("app", c.first));
        ASSERT_EQ(r.status, 303) << name;
        auto q = query_of(r.headers.get("Location").value_or(""));
        EXPECT_EQ(q["error"], c.second) << name;
        EXPECT_EQ(q["state"], "st-1") << name;
        EXPECT_EQ(q["iss"], std::string(origin)) << name;
        EXPECT_FALSE(q.contains("code")) << name;
    }
    auto repeated = b.get(authorize_url("app") + "&state=again");
    EXPECT_EQ(query_of(repeated.headers.get("Location").value_or(""))["error"], "invalid_request");
    EXPECT_EQ(count("SELECT COUNT(*) FROM authorization_codes"), 0);
}

TEST_F(AuthorizationCodeFlowTest, PlainOAuthWithoutOpenidGetsNoIdToken) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("frank");
    auto token = redeem("app", code_from(b.get(authorize_url("app", {{"scope", "read"}}))));
    ASSERT_EQ(token.status, 200) << token.body;
    EXPECT_FALSE(json::parse(token.body).contains("id_token"));
}

TEST_F(AuthorizationCodeFlowTest, WrongVerifierOrRedirectOrClientIsInvalidGrant) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    add_client("other", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("grace");
    const std::string code = code_from(b.get(authorize_url("app")));
    auto wrong = redeem("app", code, std::string(43, 'a'));
    EXPECT_EQ(json::parse(wrong.body)["error"], "invalid_grant");
    auto short_verifier = redeem("app", code, "abc");
    EXPECT_EQ(json::parse(short_verifier.body)["error"], "invalid_request");
    auto stolen = redeem("other", code);
    EXPECT_EQ(json::parse(stolen.body)["error"], "invalid_grant");
    // None of these spent it.
    EXPECT_EQ(redeem("app", code).status, 200);
}

TEST_F(AuthorizationCodeFlowTest, ReplayedCodeFailsAndRevokesTheTokenIssuedFromIt) {
    add_client("opaque", oidc::AccessTokenFormat::opaque);
    add_client("jwt", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("heidi");
    const std::string code = code_from(b.get(authorize_url("opaque")));
    ASSERT_EQ(redeem("opaque", code).status, 200);
    EXPECT_EQ(count("SELECT COUNT(*) FROM access_tokens WHERE revoked = 1"), 0);
    auto replay = redeem("opaque", code);
    EXPECT_EQ(replay.status, 400);
    EXPECT_EQ(json::parse(replay.body)["error"], "invalid_grant");
    EXPECT_EQ(count("SELECT COUNT(*) FROM access_tokens WHERE revoked = 1"), 1);

    const std::string jwt_code = code_from(b.get(authorize_url("jwt")));
    ASSERT_EQ(redeem("jwt", jwt_code).status, 200);
    EXPECT_EQ(json::parse(redeem("jwt", jwt_code).body)["error"], "invalid_grant");
    EXPECT_EQ(count("SELECT COUNT(*) FROM revoked_jwt_access_tokens"), 1);
}

TEST_F(AuthorizationCodeFlowTest, FiftyRacingRedemptionsSucceedExactlyOnce) {
    add_client("app", oidc::AccessTokenFormat::opaque);
    Browser b = signed_up("ivan");
    const std::string code = code_from(b.get(authorize_url("app")));
    std::atomic<int> ok{0};
    std::atomic<int> invalid_grant{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i) {
        threads.emplace_back([&] {
            auto r = redeem("app", code);
            if (r.status == 200) {
                ++ok;
            } else if (r.body.find("invalid_grant") != std::string::npos) {
                ++invalid_grant;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(invalid_grant, 49);
}

TEST_F(AuthorizationCodeFlowTest, PromptNoneWithoutSessionIsLoginRequiredWithIss) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b(*app_);
    auto r = b.get(authorize_url("app", {{"prompt", "none"}}));
    ASSERT_EQ(r.status, 303);
    auto q = query_of(r.headers.get("Location").value_or(""));
    EXPECT_EQ(q["error"], "login_required");
    EXPECT_EQ(q["state"], "st-1");
    EXPECT_EQ(q["iss"], std::string(origin));

    Browser signed_in = signed_up("judy");
    code_from(signed_in.get(authorize_url("app", {{"prompt", "none"}})));
}

TEST_F(AuthorizationCodeFlowTest, PromptLoginAndMaxAgeMakeTheUserSignInAgain) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("mallory");
    for (const auto& overrides : std::vector<std::map<std::string, std::string>>{
             {{"prompt", "login"}}, {{"max_age", "0"}}}) {
        // auth_time has a one-second grain: let the last sign-in age past max_age=0.
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        auto r = b.get(authorize_url("app", overrides));
        ASSERT_EQ(r.status, 303);
        const auto to_signin = r.headers.get("Location").value_or("");
        ASSERT_TRUE(to_signin.starts_with("/signin?")) << to_signin;
        EXPECT_THAT(to_signin, HasSubstr("prompt=login"));
        // prompt=none cannot be answered then.
        auto none = b.get(authorize_url("app", {{"prompt", "none"}, {"max_age", "0"}}));
        EXPECT_EQ(query_of(none.headers.get("Location").value_or(""))["error"], "login_required");

        auto page = b.get(to_signin);
        ASSERT_EQ(page.status, 200) << "the form, though signed in";
        auto again = b.post("/signin", {{"identifier", "mallory"},
                                        {"password", std::string(password)},
                                        {"return_to", Browser::input_value(page.body, "return_to")},
                                        {"csrf", Browser::input_value(page.body, "csrf")}});
        ASSERT_EQ(again.status, 303) << again.body;
        auto answered = b.get(again.headers.get("Location").value_or(""));
        code_from(answered);
        EXPECT_EQ(answered.status, 303) << again.headers.get("Location").value_or("") << "\n"
                                        << answered.body;
    }
}

TEST_F(AuthorizationCodeFlowTest, FormPostAnswersWithAScriptlessFormAndItsOwnCsp) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("oscar");
    auto r = b.get(authorize_url("app", {{"response_mode", "form_post"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_THAT(r.body, HasSubstr("<form method=\"post\" action=\"https://rp.example.com/cb\">"));
    EXPECT_THAT(r.body, HasSubstr("name=\"state\" value=\"st-1\""));
    EXPECT_THAT(r.body, HasSubstr("name=\"iss\" value=\"http://localhost:8080\""));
    EXPECT_THAT(r.body, HasSubstr("<button type=\"submit\">"));
    EXPECT_THAT(r.body, testing::Not(HasSubstr("<script")));
    EXPECT_THAT(r.headers.get("Content-Security-Policy").value_or(""),
                HasSubstr("form-action https://rp.example.com;"));
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
    const std::string code = Browser::input_value(r.body, "code");
    EXPECT_EQ(redeem("app", code).status, 200);
}

TEST_F(AuthorizationCodeFlowTest, PostToAuthorizeWorksLikeGet) {
    add_client("app", oidc::AccessTokenFormat::jwt);
    Browser b = signed_up("peggy");
    const std::string url = authorize_url("app");
    std::map<std::string, std::string> fields;
    for (auto& [k, v] : http::parse_urlencoded(url.substr(url.find('?') + 1))) {
        fields[k] = v;
    }
    code_from(b.post("/authorize", fields));
}

}  // namespace
}  // namespace idpd::testing_support
