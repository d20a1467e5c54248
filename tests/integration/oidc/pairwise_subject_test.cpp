// Pairwise subjects (OIDC Core §8.1): a pairwise client sees one opaque sub per sector in its ID
// token, its JWT access token, /userinfo and introspection; clients of one sector agree, other
// sectors and public clients see something else, and /userinfo still finds the user.
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "account/user_store.h"
#include "integration/app_fixture.h"
#include "integration/browser.h"
#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

class PairwiseSubjectTest : public AppTest {
protected:
    void add_client(const std::string& id, const std::string& redirect, bool pairwise,
                    oidc::AccessTokenFormat format = oidc::AccessTokenFormat::jwt,
                    const std::string& sector = {}) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.type = oidc::ClientType::public_client;
        client.token_endpoint_auth_method = oidc::AuthMethod::none;
        client.redirect_uris = {redirect};
        client.grant_types = {"authorization_code"};
        client.scopes = {"openid", "profile"};
        client.access_token_format = format;
        client.subject_type =
            pairwise ? oidc::SubjectType::pairwise : oidc::SubjectType::public_subject;
        client.sector_identifier = sector;
        client.first_party = true;  // consent has its own tests (consent_test.cpp)
        ASSERT_TRUE(oidc::ClientStore(*db_).create(client));
        redirects_[id] = redirect;
    }

    void sign_up(const std::string& name) {
        auto r = browser().submit("/signup", "/signup",
                                  {{"username", name},
                                   {"email", name + "@example.com"},
                                   {"password", "correct horse battery"},
                                   {"confirm", "correct horse battery"},
                                   {"accept_terms", "1"}});
        ASSERT_EQ(r.status, 303) << r.body;
    }

    // The token response of a code flow for `id` in the signed-in browser.
    json tokens_for(const std::string& id) {
        const std::string challenge = jose::base64url_encode(oidc::sha256(verifier));
        auto r = browser().get("/authorize?response_type=code&client_id=" + id +
                               "&redirect_uri=" + http::url_encode(redirects_[id]) +
                               "&scope=openid%20profile&state=s&code_challenge=" + challenge +
                               "&code_challenge_method=S256");
        EXPECT_EQ(r.status, 303) << r.body;
        const std::string location = r.headers.get("Location").value_or("");
        std::string code;
        for (auto& [k, v] : http::parse_urlencoded(location.substr(location.find('?') + 1))) {
            if (k == "code") {
                code = v;
            }
        }
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/token";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.body = "grant_type=authorization_code&client_id=" + id + "&code=" + code +
                   "&redirect_uri=" + http::url_encode(redirects_[id]) +
                   "&code_verifier=" + verifier;
        auto token = app_->handle(req);
        EXPECT_EQ(token.status, 200) << token.body;
        return json::parse(token.body);
    }

    static json claims_of(const std::string& jwt) {
        const auto first = jwt.find('.');
        const auto second = jwt.find('.', first + 1);
        auto payload = jose::base64url_decode(jwt.substr(first + 1, second - first - 1));
        return json::parse(payload.value_or("{}"));
    }

    json userinfo(const std::string& access_token) {
        http::HttpRequest req;
        req.path = "/userinfo";
        req.peer_ip = "127.0.0.1";
        req.headers.set("Authorization", "Bearer " + access_token);
        auto r = app_->handle(req);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    }

    std::string user_id(const std::string& name) {
        auto user = account::UserStore(*db_).find_by_username(name);
        EXPECT_TRUE(user);
        return user ? std::to_string(user->id) : "";
    }

    // Made on first use: app_ exists only after SetUp.
    Browser& browser() {
        if (!browser_) {
            browser_ = std::make_unique<Browser>(*app_);
        }
        return *browser_;
    }

    std::unique_ptr<Browser> browser_;
    std::map<std::string, std::string> redirects_;
};

TEST_F(PairwiseSubjectTest, APairwiseClientSeesOneOpaqueSubjectEverywhere) {
    add_client("pw", "https://rp.example.com/cb", true);
    sign_up("pauline");
    auto tokens = tokens_for("pw");
    const std::string sub = claims_of(tokens["id_token"].get<std::string>())["sub"];
    EXPECT_EQ(sub.size(), 43u);
    EXPECT_NE(sub, user_id("pauline"));
    EXPECT_EQ(claims_of(tokens["access_token"].get<std::string>())["sub"], sub);
    auto info = userinfo(tokens["access_token"].get<std::string>());
    EXPECT_EQ(info["sub"], sub);
    EXPECT_EQ(info["preferred_username"], "pauline");
    // The same again later: stable, not random.
    EXPECT_EQ(claims_of(tokens_for("pw")["id_token"].get<std::string>())["sub"], sub);
}

TEST_F(PairwiseSubjectTest, OneSectorSharesASubjectOtherSectorsAndPublicClientsDoNot) {
    add_client("pw-a", "https://rp.example.com/a", true);
    add_client("pw-b", "https://rp.example.com/b", true);
    add_client("pw-other", "https://elsewhere.example.org/cb", true);
    add_client("pw-sector", "https://elsewhere.example.org/cb", true, oidc::AccessTokenFormat::jwt,
               "rp.example.com");
    add_client("pub", "https://rp.example.com/pub", false);
    sign_up("samuel");
    auto sub_of = [&](const std::string& id) {
        return claims_of(tokens_for(id)["id_token"].get<std::string>())["sub"].get<std::string>();
    };
    const std::string a = sub_of("pw-a");
    EXPECT_EQ(sub_of("pw-b"), a);
    EXPECT_NE(sub_of("pw-other"), a);
    EXPECT_EQ(sub_of("pw-sector"), a);  // sector_identifier names the sector explicitly
    EXPECT_EQ(sub_of("pub"), user_id("samuel"));
}

TEST_F(PairwiseSubjectTest, OpaqueTokensOfPairwiseClientsIntrospectAndAnswerUserinfo) {
    add_client("pw-opaque", "https://rp.example.com/cb", true, oidc::AccessTokenFormat::opaque);
    oidc::Client rs;
    rs.client_id = "rs";
    rs.name = "rs";
    rs.grant_types = {"client_credentials"};
    const std::string secret = "resource-server-secret";
    rs.secret_hash = oidc::ClientSecretHasher(
                         *jose::load_master_key(jose::MasterKeyOptions{"", dir_ / "master.key"}))
                         .hash(secret);
    ASSERT_TRUE(oidc::ClientStore(*db_).create(rs));
    sign_up("olga");
    auto tokens = tokens_for("pw-opaque");
    const std::string sub = claims_of(tokens["id_token"].get<std::string>())["sub"];
    EXPECT_EQ(userinfo(tokens["access_token"].get<std::string>())["sub"], sub);

    http::HttpRequest req;
    req.method = http::Method::post;
    req.path = "/introspect";
    req.peer_ip = "127.0.0.1";
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    req.body = "token=" + http::url_encode(tokens["access_token"].get<std::string>()) +
               "&client_id=rs&client_secret=" + secret;
    auto r = app_->handle(req);
    ASSERT_EQ(r.status, 401) << "rs is registered for client_secret_basic";
    const std::string text = "rs:" + secret;
    std::string b64(4 * ((text.size() + 2) / 3) + 1, '\0');
    b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(b64.data()),
        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()))));
    req.body = "token=" + http::url_encode(tokens["access_token"].get<std::string>());
    req.headers.set("Authorization", "Basic " + b64);
    r = app_->handle(req);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["sub"], sub);
}

TEST_F(PairwiseSubjectTest, DiscoveryListsBothSubjectTypes) {
    auto doc = json::parse(get("/.well-known/openid-configuration").body);
    EXPECT_EQ(doc["subject_types_supported"], json::array({"public", "pairwise"}));
}

}  // namespace
}  // namespace idpd::testing_support
