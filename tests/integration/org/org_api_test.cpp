// /api/v1/orgs with our access tokens: scopes orgs / orgs:manage open it, the caller's role
// decides (a member acting beyond it gets 403 forbidden), an organization the caller is not in
// is 404, and injected fields in a body are ignored.
#include <gmock/gmock.h>

#include "account/user_store.h"
#include "integration/oidc/rp_fixture.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;
using testing::HasSubstr;

class OrgApiTest : public RpTest {
protected:
    void SetUp() override {
        RpTest::SetUp();
        add_client("cli", {}, [](oidc::Client& c) {
            c.scopes = {"openid", "profile", "orgs", "orgs:manage"};
        });
    }

    // An access token of `name` (signed up here) with `scope`.
    std::string token_of(const std::string& name, const std::string& scope) {
        Browser b = signed_up(name);
        auto code = code_from(b.get(authorize_url("cli", {{"scope", scope}})));
        return redeem("cli", code).value("access_token", "");
    }

    http::HttpResponse call(http::Method method, const std::string& path, const std::string& token,
                            const std::string& body = {}) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.headers.set("Authorization", "Bearer " + token);
        req.headers.set("Accept", "application/json");
        if (!body.empty()) {
            req.headers.set("Content-Type", "application/json");
            req.body = body;
        }
        return app_->handle(req);
    }

    std::int64_t user_id(const std::string& name) {
        return account::UserStore(*db_).find_by_username(name).value().id;
    }
};

TEST_F(OrgApiTest, CreateListInviteChangeRoleAndRemoveWithRolesEnforced) {
    const auto alice = token_of("alice", "openid orgs orgs:manage");
    const auto bob = token_of("bobby", "openid orgs orgs:manage");
    const auto reader = token_of("carol", "openid orgs");
    auto created = call(http::Method::post, "/api/v1/orgs", alice,
                        R"({"name":"Acme","display_name":"Acme Ltd","id":99,"role":"member",)"
                        R"("balance_fen":100000})");
    ASSERT_EQ(created.status, 201) << created.body;
    const auto org = json::parse(created.body);
    EXPECT_EQ(org["name"], "acme");
    EXPECT_EQ(org["role"], "owner");
    EXPECT_NE(org["id"], 99);
    const std::string base = "/api/v1/orgs/" + std::to_string(org["id"].get<std::int64_t>());
    EXPECT_EQ(
        call(http::Method::post, "/api/v1/orgs", alice, R"({"name":"acme","display_name":"Again"})")
            .status,
        409);
    // A read-only token cannot create.
    EXPECT_EQ(call(http::Method::post, "/api/v1/orgs", reader,
                   R"({"name":"other","display_name":"Other"})")
                  .status,
              403);
    // Outsiders get 404, for the organization and its members.
    EXPECT_EQ(call(http::Method::get, base, bob).status, 404);
    EXPECT_EQ(call(http::Method::get, base + "/members", reader).status, 404);
    // Invite bob by username; he accepts on the pages (the API has no accept).
    auto invited =
        call(http::Method::post, base + "/invitations", alice, R"({"username":"bobby"})");
    ASSERT_EQ(invited.status, 201) << invited.body;
    const auto invitation_id = json::parse(invited.body)["id"].get<std::int64_t>();
    Browser bob_browser = signed_in("bobby");
    auto orgs_page = bob_browser.get("/account/orgs");
    EXPECT_THAT(orgs_page.body, HasSubstr("Acme Ltd"));
    auto joined =
        bob_browser.post("/account/orgs/invitations/" + std::to_string(invitation_id) + "/accept",
                         {{"csrf", Browser::csrf_of(orgs_page.body)}});
    EXPECT_EQ(joined.status, 303);
    auto listed = call(http::Method::get, "/api/v1/orgs", bob);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(json::parse(listed.body)["orgs"][0]["role"], "member");
    auto members = call(http::Method::get, base + "/members", bob);
    ASSERT_EQ(members.status, 200);
    EXPECT_EQ(json::parse(members.body)["members"].size(), 2u);
    // A member acting beyond the role: 403 forbidden, and nothing changes.
    const std::string alice_path = base + "/members/" + std::to_string(user_id("alice"));
    const std::string bob_path = base + "/members/" + std::to_string(user_id("bobby"));
    auto beyond = call(http::Method::patch, bob_path, bob, R"({"role":"admin"})");
    EXPECT_EQ(beyond.status, 403);
    EXPECT_EQ(json::parse(beyond.body)["error"], "forbidden");
    EXPECT_EQ(call(http::Method::del, alice_path, bob).status, 403);
    EXPECT_EQ(
        call(http::Method::post, base + "/invitations", bob, R"({"email":"x@example.com"})").status,
        403);
    // The owner promotes; the owner's own row cannot be demoted or removed.
    auto promoted = call(http::Method::patch, bob_path, alice, R"({"role":"admin"})");
    EXPECT_EQ(promoted.status, 200) << promoted.body;
    EXPECT_EQ(call(http::Method::patch, bob_path, alice, R"({"role":"owner"})").status, 400);
    EXPECT_EQ(call(http::Method::del, alice_path, bob).status, 409);
    EXPECT_EQ(call(http::Method::del, alice_path, alice).status, 409);  // the owner leaving
    EXPECT_EQ(call(http::Method::del, bob_path, alice).status, 204);
    EXPECT_EQ(call(http::Method::get, base, bob).status, 404);
    // An email invitation queues a mail.
    EXPECT_EQ(
        call(http::Method::post, base + "/invitations", alice, R"({"email":"dana@example.com"})")
            .status,
        201);
    auto mails = db_->query(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'org_invitation' AND "
        "recipient = 'dana@example.com'",
        {});
    EXPECT_EQ(mails->front().integer(0), 1);
}

}  // namespace
}  // namespace idpd::testing_support
