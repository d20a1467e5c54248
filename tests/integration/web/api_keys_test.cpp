// API keys (/account/api-keys and /api/v1/me/api-keys), the account API for phones and
// notifications, /introspect for keys, and the phone scope at /userinfo.
#include <regex>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "integration/oidc/authorization_code_fixture.h"
#include "notify/preferences.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using testing::HasSubstr;
using testing::Not;

constexpr std::string_view admin_token = "admin-api-token-0123456789abcdefghij";

class ApiKeysTest : public AuthorizationCodeFlowTest {
protected:
    void SetUp() override {
        AuthorizationCodeFlowTest::SetUp();
        config_.admin.api_token = std::string(admin_token);
        start_app();
        oidc::Client client;
        client.client_id = "cli";
        client.name = "cli";
        client.first_party = true;
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
        client.redirect_uris = {std::string(redirect)};
        client.grant_types = {"authorization_code"};
        client.scopes = {"openid", "phone", "account"};
        oidc::ClientStore clients(*db_);
        ASSERT_TRUE(clients.create(client));
    }

    http::HttpResponse call(http::Method method, const std::string& path, const std::string& bearer,
                            const json& body = nullptr) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.peer_ip = "192.0.2.7";
        req.headers.set("Accept", "application/json");
        if (!bearer.empty()) {
            req.headers.set("Authorization", "Bearer " + bearer);
        }
        if (!body.is_null()) {
            req.headers.set("Content-Type", "application/json");
            req.body = body.dump();
        }
        return app_->handle(req);
    }

    // An access token of `b`'s user for the scopes "openid phone account".
    std::string access_token(Browser& b) {
        auto r = b.get(authorize_url("cli", {{"scope", "openid phone account"}}));
        auto tokens = redeem("cli", code_from(r));
        EXPECT_EQ(tokens.status, 200) << tokens.body;
        return json::parse(tokens.body).value("access_token", "");
    }

    // Creates a key on the page; returns its secret (shown once).
    std::string create_key(Browser& b, const std::string& name,
                           std::map<std::string, std::string> fields = {{"scope.account", "1"}}) {
        fields["name"] = name;
        fields.emplace("expiry", "none");
        auto r = b.submit("/account/api-keys", "/account/api-keys", fields);
        EXPECT_EQ(r.status, 200) << r.body;
        std::smatch m;
        const std::regex secret("idk_[A-Za-z0-9_-]{43}");
        return std::regex_search(r.body, m, secret) ? m.str() : "";
    }

    std::int64_t user_id_of(const std::string& name) {
        return count("SELECT id FROM users WHERE username = '" + name + "'");
    }

    std::string last_sms_code() {
        auto rows = db_->query(
            "SELECT text_body FROM outbox WHERE channel = 'sms' ORDER BY id DESC LIMIT 1", {});
        std::smatch m;
        std::string text = rows && !rows->empty() ? rows->front().text(0) : "";
        return std::regex_search(text, m, std::regex("[0-9]{6}")) ? m.str() : "";
    }

    // A confidential client (a resource server) for /introspect, through the admin API.
    std::string resource_server() {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/admin/api/v1/clients";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Authorization", "Bearer " + std::string(admin_token));
        req.headers.set("Content-Type", "application/json");
        req.body = json{
            {"client_id", "rs"},
            {"client_name", "RS"},
            {"grant_types", {"client_credentials"}},
            {"response_types", json::array()},
            {"scope", "read"},
            {"first_party",
             true}}.dump();
        auto r = app_->handle(req);
        EXPECT_EQ(r.status, 201) << r.body;
        return json::parse(r.body).value("client_secret", "");
    }

    json introspect(const std::string& token, const std::string& secret) {
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/introspect";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        const std::string pair = "rs:" + http::url_encode(secret);
        std::string basic(4 * ((pair.size() + 2) / 3) + 1, '\0');
        basic.resize(static_cast<std::size_t>(EVP_EncodeBlock(
            reinterpret_cast<unsigned char*>(basic.data()),
            reinterpret_cast<const unsigned char*>(pair.data()), static_cast<int>(pair.size()))));
        req.headers.set("Authorization", "Basic " + basic);
        req.body = "token=" + http::url_encode(token);
        auto r = app_->handle(req);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    }
};

TEST_F(ApiKeysTest, TheSecretIsShownOnceOnlyItsHmacIsStoredAndItCallsTheApi) {
    Browser b = signed_up("alice");
    const std::string secret = create_key(b, "laptop script");
    ASSERT_FALSE(secret.empty());
    EXPECT_THAT(b.get("/account/api-keys").body, Not(HasSubstr(secret)));
    auto stored = db_->query("SELECT secret_hash, hint FROM api_keys", {});
    ASSERT_TRUE(stored && stored->size() == 1);
    EXPECT_EQ(stored->front().text(0).size(), 32u);
    EXPECT_NE(stored->front().text(0), secret);
    EXPECT_EQ(stored->front().text(1), secret.substr(0, 8));

    auto phones = call(http::Method::get, "/api/v1/me/phones", secret);
    ASSERT_EQ(phones.status, 200) << phones.body;
    EXPECT_EQ(json::parse(phones.body), json({{"phones", json::array()}}));
    auto used = db_->query("SELECT last_used_at, last_used_ip FROM api_keys", {});
    EXPECT_FALSE(used->front().is_null(0));
    EXPECT_EQ(used->front().text(1), "192.0.2.7");
    EXPECT_THAT(b.get("/account/api-keys").body, HasSubstr("192.0.2.7"));
}

TEST_F(ApiKeysTest, ARevokedOrExpiredKeyIsRefused) {
    Browser b = signed_up("alice");
    const std::string revoked = create_key(b, "old");
    const std::string expiring = create_key(b, "month", {{"scope.account", "1"}, {"expiry", "30"}});
    ASSERT_EQ(call(http::Method::get, "/api/v1/me/phones", revoked).status, 200);
    auto id = db_->query("SELECT id FROM api_keys WHERE name = 'old'", {})->front().integer(0);
    auto r =
        b.submit("/account/api-keys", "/account/api-keys/" + std::to_string(id) + "/revoke", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(call(http::Method::get, "/api/v1/me/phones", revoked).status, 401);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE type = 'api_key.revoked'"), 1);

    ASSERT_EQ(call(http::Method::get, "/api/v1/me/phones", expiring).status, 200);
    advance(std::chrono::hours(24 * 30 + 1));
    EXPECT_EQ(call(http::Method::get, "/api/v1/me/phones", expiring).status, 401);
}

TEST_F(ApiKeysTest, ScopesAreEnforcedAndAKeyCannotMintKeys) {
    Browser b = signed_up("alice");
    const std::string billing = create_key(b, "billing only", {{"scope.billing", "1"}});
    auto r = call(http::Method::get, "/api/v1/me/phones", billing);
    EXPECT_EQ(r.status, 403);
    EXPECT_THAT(r.body, HasSubstr("insufficient_scope"));

    const std::string key = create_key(b, "account");
    auto minted = call(http::Method::post, "/api/v1/me/api-keys", key,
                       {{"name", "child"}, {"scopes", {"account"}}});
    EXPECT_EQ(minted.status, 403);

    const std::string token = access_token(b);
    auto created = call(http::Method::post, "/api/v1/me/api-keys", token,
                        {{"name", "ci"}, {"scopes", {"account", "orgs"}}, {"expires_in_days", 90}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto body = json::parse(created.body);
    EXPECT_TRUE(body["secret"].get<std::string>().starts_with("idk_"));
    EXPECT_EQ(body["scopes"], json({"account", "orgs"}));
    auto listed = json::parse(call(http::Method::get, "/api/v1/me/api-keys", token).body);
    EXPECT_EQ(listed["api_keys"].size(), 3u);
    EXPECT_THAT(listed.dump(), Not(HasSubstr(body["secret"].get<std::string>())));

    auto bad = call(http::Method::post, "/api/v1/me/api-keys", token,
                    {{"name", "x"}, {"scopes", {"quota:report"}}});
    EXPECT_EQ(bad.status, 400);
    auto org = call(http::Method::post, "/api/v1/me/api-keys", token,
                    {{"name", "x"}, {"scopes", {"orgs"}}, {"org_id", 7}});
    EXPECT_EQ(org.status, 400) << "not an organization the user belongs to";
}

TEST_F(ApiKeysTest, AnotherUsersKeyIdIsNotFound) {
    Browser alice = signed_up("alice");
    create_key(alice, "mine");
    const auto alice_key = count("SELECT id FROM api_keys");
    Browser bob = signed_up("bobby");
    const std::string bobs = create_key(bob, "bob's");
    auto r = call(http::Method::del, "/api/v1/me/api-keys/" + std::to_string(alice_key), bobs);
    EXPECT_EQ(r.status, 404);
    auto page = bob.submit("/account/api-keys",
                           "/account/api-keys/" + std::to_string(alice_key) + "/revoke", {});
    EXPECT_EQ(page.status, 404);
    EXPECT_EQ(count("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NOT NULL"), 0);
    EXPECT_EQ(call(http::Method::del, "/api/v1/me/phones/1", bobs).status, 404);
}

TEST_F(ApiKeysTest, IntrospectionDescribesAnActiveKeyToAResourceServer) {
    Browser b = signed_up("alice");
    const std::string rs_secret = resource_server();
    const std::string key =
        create_key(b, "month", {{"scope.account", "1"}, {"scope.billing", "1"}, {"expiry", "30"}});
    auto active = introspect(key, rs_secret);
    EXPECT_EQ(active["active"], true);
    EXPECT_EQ(active["token_type"], "api_key");
    EXPECT_EQ(active["scope"], "account billing");
    EXPECT_EQ(active["sub"], std::to_string(user_id_of("alice")));
    EXPECT_FALSE(active.contains("client_id"));
    EXPECT_FALSE(active.contains("org_id"));
    EXPECT_TRUE(active["exp"].is_number_integer());
    EXPECT_EQ(introspect(key + "x", rs_secret), json({{"active", false}}));
    auto id = count("SELECT id FROM api_keys");
    b.submit("/account/api-keys", "/account/api-keys/" + std::to_string(id) + "/revoke", {});
    EXPECT_EQ(introspect(key, rs_secret), json({{"active", false}}));
}

TEST_F(ApiKeysTest, PhonesThroughTheApiAndThePhoneScopeAtUserinfo) {
    Browser b = signed_up("alice");
    const std::string token = access_token(b);
    auto before = json::parse(userinfo(token).body);
    EXPECT_FALSE(before.contains("phone_number"));

    auto bad = call(http::Method::post, "/api/v1/me/phones", token, {{"phone_number", "12345"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_THAT(bad.body, HasSubstr("invalid_phone_number"));
    auto sent =
        call(http::Method::post, "/api/v1/me/phones", token, {{"phone_number", "13800138000"}});
    ASSERT_EQ(sent.status, 202) << sent.body;
    auto bound = call(http::Method::post, "/api/v1/me/phones/verify", token,
                      {{"phone_number", "+8613800138000"}, {"code", last_sms_code()}});
    ASSERT_EQ(bound.status, 201) << bound.body;
    const auto id = json::parse(bound.body)["id"].get<std::int64_t>();

    auto claims = json::parse(userinfo(token).body);
    EXPECT_EQ(claims["phone_number"], "+8613800138000");
    EXPECT_EQ(claims["phone_number_verified"], true);

    auto listed = json::parse(call(http::Method::get, "/api/v1/me/phones", token).body);
    EXPECT_EQ(listed["phones"][0]["phone_number"], "+8613800138000");
    auto removed = call(http::Method::del, "/api/v1/me/phones/" + std::to_string(id), token);
    EXPECT_EQ(removed.status, 204);
    EXPECT_FALSE(json::parse(userinfo(token).body).contains("phone_number"));
}

TEST_F(ApiKeysTest, NotificationPreferencesKeepSecurityEmailOn) {
    Browser b = signed_up("alice");
    const auto alice = user_id_of("alice");
    auto page = b.get("/account/notifications");
    ASSERT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("name=\"security.email\" value=\"1\" checked disabled"));
    // Everything unticked: security email stays on, the rest goes off.
    auto saved = b.post("/account/notifications", {{"csrf", Browser::csrf_of(page.body)}});
    EXPECT_EQ(saved.status, 303);
    using notify::NoticeChannel;
    using notify::NoticeEvent;
    EXPECT_TRUE(*notify::should_notify(*db_, alice, NoticeEvent::security, NoticeChannel::email));
    EXPECT_FALSE(*notify::should_notify(*db_, alice, NoticeEvent::security, NoticeChannel::sms));
    EXPECT_FALSE(*notify::should_notify(*db_, alice, NoticeEvent::billing, NoticeChannel::email));

    const std::string key = create_key(b, "prefs");
    auto off = call(http::Method::put, "/api/v1/me/notifications", key,
                    {{"preferences", {{"security", {{"email", false}}}}}});
    EXPECT_EQ(off.status, 400);
    auto on = call(http::Method::put, "/api/v1/me/notifications", key,
                   {{"preferences", {{"product", {{"wechat", true}}}}}});
    ASSERT_EQ(on.status, 200) << on.body;
    auto now = json::parse(on.body);
    EXPECT_EQ(now["preferences"]["product"]["wechat"], true);
    EXPECT_EQ(now["preferences"]["security"]["email"], true);
    EXPECT_EQ(now["locked"], json({"security.email"}));
    EXPECT_TRUE(*notify::should_notify(*db_, alice, NoticeEvent::product, NoticeChannel::wechat));
}

}  // namespace
}  // namespace idpd::testing_support
