// The admin JSON API under /admin/api/v1/clients: off without admin.api_token, then bearer-only,
// with the same validation as every other way a client is registered.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/app_fixture.h"
#include "oidc/client_store.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

constexpr std::string_view api_token = "admin-api-token-0123456789abcdefghij";

class AdminClientApiTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        config_.admin.api_token = std::string(api_token);
        app_ = std::make_unique<app::App>(config_, *db_);
    }

    http::HttpResponse call(http::Method method, const std::string& path, const json& body = {},
                            const std::string& token = std::string(api_token)) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.headers.set("Accept", "application/json");
        if (!body.is_null()) {
            req.headers.set("Content-Type", "application/json");
            req.body = body.dump();
        }
        if (!token.empty()) {
            req.headers.set("Authorization", "Bearer " + token);
        }
        return app_->handle(req);
    }

    const json service{{"client_id", "billing-svc"},
                       {"client_name", "Billing"},
                       {"grant_types", {"client_credentials"}},
                       {"response_types", json::array()},
                       {"scope", "read write"},
                       {"first_party", true}};
};

TEST_F(AppTest, TheAdminApiIsNotServedWithoutAToken) {
    http::HttpRequest req;
    req.path = "/admin/api/v1/clients";
    req.peer_ip = "127.0.0.1";
    req.headers.set("Authorization", "Bearer ");
    EXPECT_EQ(app_->handle(req).status, 404);
}

TEST_F(AdminClientApiTest, EveryRouteNeedsTheBearerToken) {
    for (const std::string& token : std::vector<std::string>{std::string(), std::string("wrong"),
                                                             std::string(api_token) + "x"}) {
        auto r = call(http::Method::get, "/admin/api/v1/clients", {}, token);
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(json::parse(r.body)["error"], "invalid_token");
    }
    EXPECT_EQ(call(http::Method::post, "/admin/api/v1/clients", service, "wrong").status, 401);
    EXPECT_FALSE(oidc::ClientStore(*db_).find("billing-svc"));
}

TEST_F(AdminClientApiTest, CreateListShowReplaceRotateDelete) {
    auto created = call(http::Method::post, "/admin/api/v1/clients", service);
    ASSERT_EQ(created.status, 201) << created.body;
    auto body = json::parse(created.body);
    EXPECT_EQ(body["client_id"], "billing-svc");
    EXPECT_EQ(body["first_party"], true);
    EXPECT_EQ(body["client_secret"].get<std::string>().size(), 43u);
    EXPECT_EQ(call(http::Method::post, "/admin/api/v1/clients", service).status, 409);

    auto list = json::parse(call(http::Method::get, "/admin/api/v1/clients").body);
    ASSERT_EQ(list["clients"].size(), 1u);
    EXPECT_FALSE(list["clients"][0].contains("client_secret"));

    json replacement = service;
    replacement["scope"] = "read";
    replacement["access_token_format"] = "opaque";
    auto put = call(http::Method::put, "/admin/api/v1/clients/billing-svc", replacement);
    ASSERT_EQ(put.status, 200) << put.body;
    auto shown = json::parse(call(http::Method::get, "/admin/api/v1/clients/billing-svc").body);
    EXPECT_EQ(shown["scope"], "read");
    EXPECT_EQ(shown["access_token_format"], "opaque");

    auto rotated = call(http::Method::post, "/admin/api/v1/clients/billing-svc/rotate-secret");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_NE(json::parse(rotated.body)["client_secret"], body["client_secret"]);

    EXPECT_EQ(call(http::Method::del, "/admin/api/v1/clients/billing-svc").status, 204);
    EXPECT_EQ(call(http::Method::get, "/admin/api/v1/clients/billing-svc").status, 404);
    EXPECT_EQ(json::parse(call(http::Method::get, "/admin/api/v1/clients/none").body)["error"],
              "not_found");
}

TEST_F(AdminClientApiTest, ValidationIsTheSameAsEverywhere) {
    json bad = {{"client_id", "web"}, {"redirect_uris", {"http://rp.example.com/cb"}}};
    auto r = call(http::Method::post, "/admin/api/v1/clients", bad);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body)["error"], "invalid_redirect_uri");
    r = call(http::Method::post, "/admin/api/v1/clients", {{"client_id", "x"}, {"colour", "red"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(json::parse(r.body)["error_description"].get<std::string>().find("colour"),
              std::string::npos);
    r = call(http::Method::post, "/admin/api/v1/clients", {{"client_id", "a/b"}});
    EXPECT_EQ(r.status, 400);
}

TEST_F(AdminClientApiTest, FileManagedClientsAreChangedOnlyByTheirFile) {
    oidc::Client client;
    client.client_id = "from-file";
    client.name = "from-file";
    client.grant_types = {"client_credentials"};
    client.secret_hash = std::string(32, 'h');
    client.managed_by = "config/clients.d/from-file.toml";
    ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
    EXPECT_EQ(call(http::Method::del, "/admin/api/v1/clients/from-file").status, 409);
    EXPECT_EQ(call(http::Method::put, "/admin/api/v1/clients/from-file", service).status, 409);
    EXPECT_EQ(call(http::Method::post, "/admin/api/v1/clients/from-file/rotate-secret").status,
              409);
    auto shown = json::parse(call(http::Method::get, "/admin/api/v1/clients/from-file").body);
    EXPECT_EQ(shown["managed_by"], "config/clients.d/from-file.toml");
}

}  // namespace
}  // namespace idpd::testing_support
