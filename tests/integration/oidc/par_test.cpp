// Pushed Authorization Requests (RFC 9126) through the whole app: a client pushes its request to
// /par, the browser brings only client_id and request_uri to /authorize (across a sign-in too),
// the code redeems, and a request_uri works once, for its own client, until it expires.
#include <gmock/gmock.h>

#include "integration/oidc/rp_fixture.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using testing::HasSubstr;

class ParTest : public RpTest {
protected:
    void SetUp() override {
        RpTest::SetUp();
        add_client("app", "app-secret");
        add_client("other", "other-secret");
    }

    http::HttpResponse push(const std::map<std::string, std::string>& params,
                            const std::string& authorization = basic("app", "app-secret")) {
        return post("/par", query(params), authorization);
    }

    // Pushes app's default request (with `overrides`); returns the request_uri.
    std::string pushed(const std::map<std::string, std::string>& overrides = {}) {
        auto params = authorize_params("app");
        params.erase("client_id");  // the client is the authenticated one
        for (const auto& [k, v] : overrides) {
            params[k] = v;
        }
        auto r = push(params);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? json::parse(r.body)["request_uri"].get<std::string>() : "";
    }

    static std::string with_request_uri(const std::string& client_id,
                                        const std::string& request_uri) {
        return "/authorize?" + query({{"client_id", client_id}, {"request_uri", request_uri}});
    }
};

TEST_F(ParTest, PushedRequestGivesACodeThatRedeems) {
    Browser b = signed_up("alice");
    auto r = push([] {
        auto p = authorize_params("app");
        p.erase("client_id");
        return p;
    }());
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
    auto body = json::parse(r.body);
    EXPECT_EQ(body["expires_in"], 60);
    const std::string request_uri = body["request_uri"];
    EXPECT_TRUE(request_uri.starts_with("urn:ietf:params:oauth:request_uri:")) << request_uri;
    // Only the SHA-256 of the random part is stored.
    EXPECT_EQ(count("SELECT COUNT(*) FROM par_requests"), 1);
    const std::string reference = request_uri.substr(request_uri.rfind(':') + 1);
    auto rows = db_->query("SELECT request_hash FROM par_requests", {});
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().text(0), oidc::sha256(reference));

    const std::string code = code_from(b.get(with_request_uri("app", request_uri)));
    auto token = redeem("app", code, basic("app", "app-secret"));
    ASSERT_TRUE(token.contains("id_token"));
    auto claims = verified_claims(token["id_token"], jose::TokenType::jwt, "app");
    EXPECT_EQ(claims["nonce"], "n-1");
    EXPECT_EQ(token["scope"], "openid profile");
}

TEST_F(ParTest, OnlyThePushedParametersCount) {
    Browser b = signed_up("bobby");
    const std::string request_uri = pushed({{"state", "pushed-state"}, {"scope", "openid"}});
    auto r = b.get("/authorize?" + query({{"client_id", "app"},
                                          {"request_uri", request_uri},
                                          {"state", "front-state"},
                                          {"scope", "openid email read"},
                                          {"redirect_uri", "https://evil.example/cb"}}));
    ASSERT_EQ(r.status, 303) << r.body;
    const auto location = r.headers.get("Location").value_or("");
    EXPECT_TRUE(location.starts_with(std::string(redirect) + "?code=")) << location;
    EXPECT_EQ(query_of(location)["state"], "pushed-state");
    auto token = redeem("app", query_of(location)["code"], basic("app", "app-secret"));
    EXPECT_EQ(token["scope"], "openid");
}

TEST_F(ParTest, RequestUriIsSingleUseExpiresAndBelongsToItsClient) {
    Browser b = signed_up("carol");
    const std::string used = pushed();
    EXPECT_FALSE(code_from(b.get(with_request_uri("app", used))).empty());
    auto again = b.get(with_request_uri("app", used));
    EXPECT_EQ(again.status, 400);
    EXPECT_FALSE(again.headers.get("Location"));
    EXPECT_THAT(again.body, HasSubstr("invalid_request_uri"));

    const std::string expired = pushed();
    ASSERT_TRUE(db_->execute("UPDATE par_requests SET expires_at = 1", {}));
    auto late = b.get(with_request_uri("app", expired));
    EXPECT_EQ(late.status, 400);
    EXPECT_THAT(late.body, HasSubstr("invalid_request_uri"));

    const std::string mine = pushed();
    auto theirs = b.get(with_request_uri("other", mine));
    EXPECT_EQ(theirs.status, 400);
    EXPECT_FALSE(theirs.headers.get("Location"));
    EXPECT_THAT(theirs.body, HasSubstr("invalid_request_uri"));
    auto no_client = b.get("/authorize?request_uri=" + http::url_encode(mine));
    EXPECT_EQ(no_client.status, 400);
    EXPECT_THAT(no_client.body, HasSubstr("client_id is missing"));
    auto forged = b.get(with_request_uri("app", "urn:ietf:params:oauth:request_uri:nope"));
    EXPECT_THAT(forged.body, HasSubstr("invalid_request_uri"));
    // Another client's attempt did not spend it.
    EXPECT_FALSE(code_from(b.get(with_request_uri("app", mine))).empty());
}

TEST_F(ParTest, RequestUriSurvivesTheSignInRoundTrip) {
    signed_up("dave");
    const std::string request_uri = pushed({{"login_hint", "dave"}});
    Browser b(*app_);
    auto first = b.get(with_request_uri("app", request_uri));
    ASSERT_EQ(first.status, 303) << first.body;
    const auto to_signin = first.headers.get("Location").value_or("");
    ASSERT_TRUE(to_signin.starts_with("/signin?return_to=")) << to_signin;
    auto page = b.get(to_signin);
    EXPECT_EQ(Browser::input_value(page.body, "identifier"), "dave");
    const std::string return_to = Browser::input_value(page.body, "return_to");
    // The way back names the pushed request only, not its parameters.
    EXPECT_THAT(return_to, HasSubstr("request_uri="));
    EXPECT_THAT(return_to, testing::Not(HasSubstr("code_challenge")));
    // The pushed request now outlives its own 60 s, so a slow sign-in still completes.
    EXPECT_GE(count("SELECT expires_at - created_at FROM par_requests"), 600);
    auto signed_in = b.post("/signin", {{"identifier", "dave"},
                                        {"password", std::string(password)},
                                        {"return_to", return_to},
                                        {"csrf", Browser::input_value(page.body, "csrf")}});
    ASSERT_EQ(signed_in.status, 303) << signed_in.body;
    const auto back = signed_in.headers.get("Location").value_or("");
    EXPECT_FALSE(code_from(b.get(back)).empty());
    // Consumed with the code.
    EXPECT_THAT(b.get(back).body, HasSubstr("invalid_request_uri"));
}

TEST_F(ParTest, PushedPromptLoginAsksOnceAndCannotBeSkippedByEditingTheLink) {
    Browser b = signed_up("erin");
    const std::string request_uri = pushed({{"prompt", "login"}});
    auto first = b.get(with_request_uri("app", request_uri));
    ASSERT_EQ(first.status, 303);
    EXPECT_TRUE(first.headers.get("Location")->starts_with("/signin?")) << first.body;
    // Our own sign-in marker from before the push does not count.
    auto edited = b.get(with_request_uri("app", request_uri) + "&idpd_auth_after=1");
    EXPECT_TRUE(edited.headers.get("Location")->starts_with("/signin?"));

    auto page = b.get(first.headers.get("Location").value_or(""));
    auto signed_in = b.post("/signin", {{"identifier", "erin"},
                                        {"password", std::string(password)},
                                        {"return_to", Browser::input_value(page.body, "return_to")},
                                        {"csrf", Browser::input_value(page.body, "csrf")}});
    ASSERT_EQ(signed_in.status, 303);
    EXPECT_FALSE(code_from(b.get(signed_in.headers.get("Location").value_or(""))).empty());
}

TEST_F(ParTest, PushIsValidatedLikeAuthorize) {
    auto base = authorize_params("app");
    base.erase("client_id");
    auto with = [&](const std::string& k, const std::string& v) {
        auto p = base;
        if (v.empty()) {
            p.erase(k);
        } else {
            p[k] = v;
        }
        return p;
    };
    const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases{
        {with("redirect_uri", "https://evil.example/cb"), "invalid_request"},
        {with("redirect_uri", ""), "invalid_request"},
        {with("code_challenge", ""), "invalid_request"},
        {with("response_type", "token"), "unsupported_response_type"},
        {with("scope", "openid admin"), "invalid_scope"},
        {with("prompt", "none login"), "invalid_request"},
        {with("request_uri", "urn:ietf:params:oauth:request_uri:abc"), "invalid_request"},
        {with("client_id", "other"), "invalid_request"},
    };
    for (const auto& [params, error] : cases) {
        auto r = push(params);
        EXPECT_EQ(r.status, 400) << query(params);
        EXPECT_EQ(json::parse(r.body)["error"], error) << query(params) << r.body;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM par_requests"), 0);
}

TEST_F(ParTest, UnauthenticatedPushIsInvalidClient) {
    auto params = authorize_params("app");
    params.erase("client_id");
    for (const auto& authorization :
         {std::string(), basic("app", "wrong"), basic("nobody", "app-secret")}) {
        auto r = post("/par", query(params), authorization);
        EXPECT_EQ(r.status, 401) << authorization;
        EXPECT_EQ(json::parse(r.body)["error"], "invalid_client");
        EXPECT_TRUE(r.headers.get("WWW-Authenticate"));
    }
    // A confidential client cannot push as a public one (client_id alone).
    params["client_id"] = "app";
    EXPECT_EQ(post("/par", query(params)).status, 401);
    EXPECT_EQ(count("SELECT COUNT(*) FROM par_requests"), 0);
}

TEST_F(ParTest, DiscoveryOffersParWithoutRequiringIt) {
    auto doc = json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_EQ(doc["pushed_authorization_request_endpoint"], std::string(origin) + "/par");
    EXPECT_EQ(doc["require_pushed_authorization_requests"], false);
}

}  // namespace
}  // namespace idpd::testing_support
