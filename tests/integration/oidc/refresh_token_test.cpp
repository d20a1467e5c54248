// Refresh tokens and DPoP through the OP's routes in-process, with an injected clock: a code
// with offline_access gives a refresh token; each refresh rotates it; spending a used one after
// the grace window revokes the whole grant (the access tokens issued in it go inactive); scope
// narrows but never widens; another client, an idle or absolute expiry, and a revoked grant all
// end in invalid_grant. DPoP binds access tokens (and a public client's refresh tokens) to the
// proof's key at /token, /userinfo demands the matching proof, and a proof made by the npm
// `jose` package is accepted.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <sys/wait.h>

#include "account/user_store.h"
#include "integration/oidc/oidc_fixture.h"
#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"

namespace idpd::testing_support {
namespace {

using nlohmann::json;

const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string redirect = "https://rp.example.com/cb";
constexpr std::int64_t day = 86'400;

class RefreshTokenTest : public OidcTest {
protected:
    void SetUp() override {
        users_ = [this](std::int64_t id) -> oidc::Result<std::optional<oidc::UserProfile>> {
            if (id != user_id_ || user_disabled_) {
                return std::nullopt;
            }
            return oidc::UserProfile{"alice", "Alice", now_, std::nullopt, false, std::nullopt};
        };
        OidcTest::SetUp();
        account::UserStore users{*db_};
        auto user = users.create({*account::check_username("alice"), "Alice", std::nullopt},
                                 std::chrono::sys_seconds{std::chrono::seconds{now_}});
        ASSERT_TRUE(user) << user.error().message;
        user_id_ = user->id;
    }

    // A client of the code flow that may also refresh (unless `refresh` is false).
    void add_code_client(const std::string& id, bool is_public = true,
                         oidc::AccessTokenFormat format = oidc::AccessTokenFormat::opaque,
                         bool refresh = true, bool dpop_bound = false) {
        oidc::Client client;
        client.client_id = id;
        client.name = id;
        client.redirect_uris = {redirect};
        client.grant_types = {"authorization_code"};
        if (refresh) {
            client.grant_types.emplace_back("refresh_token");
        }
        client.scopes = {"openid", "profile", "email", "offline_access", "read"};
        client.access_token_format = format;
        client.dpop_bound_access_tokens = dpop_bound;
        client.subject_type =
            pairwise_ ? oidc::SubjectType::pairwise : oidc::SubjectType::public_subject;
        client.created_at = now_;
        if (is_public) {
            client.type = oidc::ClientType::public_client;
            client.token_endpoint_auth_method = oidc::AuthMethod::none;
        } else {
            client.secret_hash = hasher_->hash("secret-of-" + id);
        }
        oidc::ClientStore clients(*db_);
        ASSERT_TRUE(clients.create(client));
        public_[id] = is_public;
    }

    // What /authorize would have stored for a grant of `scope`; returns the code.
    std::string code_for(const std::string& client_id,
                         const std::string& scope = "openid profile offline_access") {
        oidc::AuthorizationCode code;
        code.client_id = client_id;
        code.redirect_uri = redirect;
        code.scope = scope;
        code.nonce = "n-1";
        code.code_challenge = jose::base64url_encode(oidc::sha256(verifier));
        code.user_id = user_id_;
        code.sid = "sid-1";
        code.auth_time = now_ - 30;
        code.amr = "pwd";
        code.created_at = now_;
        code.expires_at = now_ + 60;
        const std::string value = "code-" + std::to_string(++codes_);
        oidc::AuthorizationCodeStore codes(*db_);
        EXPECT_TRUE(codes.add(value, code));
        return value;
    }

    http::HttpResponse send(const std::string& path, std::string body, const std::string& client_id,
                            const std::string& dpop = {},
                            http::Method method = http::Method::post) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        if (public_.contains(client_id) && !public_[client_id]) {
            req.headers.set("Authorization", basic(client_id, "secret-of-" + client_id));
        } else {
            body += "&client_id=" + http::url_encode(client_id);
        }
        if (!dpop.empty()) {
            req.headers.set("DPoP", dpop);
        }
        req.body = std::move(body);
        return router_.dispatch(req);
    }

    http::HttpResponse redeem(const std::string& client_id, const std::string& code,
                              const std::string& dpop = {}) {
        return send("/token",
                    "grant_type=authorization_code&code=" + http::url_encode(code) +
                        "&redirect_uri=" + http::url_encode(redirect) +
                        "&code_verifier=" + verifier,
                    client_id, dpop);
    }

    http::HttpResponse refresh(const std::string& client_id, const std::string& token,
                               const std::string& extra = {}, const std::string& dpop = {}) {
        return send("/token",
                    "grant_type=refresh_token&refresh_token=" + http::url_encode(token) + extra,
                    client_id, dpop);
    }

    json introspect_as(const std::string& client_id, const std::string& token) {
        auto r = send("/introspect", "token=" + http::url_encode(token), client_id);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    }

    // A DPoP proof of `key` for `method` `path`, with ath when `access_token` is given.
    std::string proof(const jose::Key& key, const std::string& path,
                      const std::string& access_token = {}, const std::string& htm = "POST") {
        json claims{{"jti", "jti-" + std::to_string(++proofs_)},
                    {"htm", htm},
                    {"htu", std::string(issuer) + path},
                    {"iat", now_}};
        if (!access_token.empty()) {
            claims["ath"] = jose::base64url_encode(oidc::sha256(access_token));
        }
        auto signed_proof =
            jose::sign_jwt(key, jose::TokenType::dpop_jwt, claims, {{"jwk", key.public_jwk()}});
        EXPECT_TRUE(signed_proof);
        return signed_proof.value_or("");
    }

    http::HttpResponse userinfo(const std::string& authorization, const std::string& dpop = {}) {
        http::HttpRequest req;
        req.path = "/userinfo";
        req.headers.set("Authorization", authorization);
        if (!dpop.empty()) {
            req.headers.set("DPoP", dpop);
        }
        return router_.dispatch(req);
    }

    static json body_of(const http::HttpResponse& r) { return json::parse(r.body); }

    // The sub in a JWT's payload (the signature is checked elsewhere).
    static std::string sub_in(const json& jwt) {
        const std::string token = jwt.get<std::string>();
        const auto first = token.find('.');
        const auto second = token.find('.', first + 1);
        auto payload = jose::base64url_decode(token.substr(first + 1, second - first - 1));
        return payload ? json::parse(*payload)["sub"].get<std::string>() : std::string();
    }

    std::int64_t user_id_ = 0;
    bool user_disabled_ = false;
    bool pairwise_ = false;  // add_code_client makes pairwise clients
    int codes_ = 0;
    int proofs_ = 0;
    std::map<std::string, bool> public_;
};

TEST_F(RefreshTokenTest, OnlyOfflineAccessWithTheGrantGivesARefreshToken) {
    add_code_client("app");
    add_code_client("no-refresh", true, oidc::AccessTokenFormat::opaque, false);
    auto with = body_of(redeem("app", code_for("app")));
    ASSERT_TRUE(with.contains("refresh_token")) << with;
    EXPECT_EQ(with["refresh_token"].get<std::string>().size(), 43u);  // 256 bits, base64url
    EXPECT_EQ(with["scope"], "openid profile offline_access");
    auto without_scope = body_of(redeem("app", code_for("app", "openid profile")));
    EXPECT_FALSE(without_scope.contains("refresh_token"));
    auto without_grant = body_of(redeem("no-refresh", code_for("no-refresh")));
    EXPECT_FALSE(without_grant.contains("refresh_token"));
    // Stored as a hash only.
    auto rows = db_->query("SELECT token_hash FROM refresh_tokens", {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), oidc::sha256(with["refresh_token"].get<std::string>()));
}

TEST_F(RefreshTokenTest, RotationThenReuseRevokesTheWholeFamily) {
    add_code_client("app");
    auto first = body_of(redeem("app", code_for("app")));
    const std::string rt1 = first["refresh_token"];
    const std::string at1 = first["access_token"];

    now_ += 60;
    auto second = refresh("app", rt1);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.headers.get("Cache-Control"), "no-store");
    auto b2 = body_of(second);
    const std::string rt2 = b2["refresh_token"];
    EXPECT_NE(rt2, rt1);
    EXPECT_EQ(b2["scope"], "openid profile offline_access");
    EXPECT_EQ(b2["token_type"], "Bearer");
    // The new ID token keeps who, when and how the user signed in (OIDC Core §12.2).
    auto keys = jose::KeySet::from_jwks(json::parse(get("/jwks").body));
    ASSERT_TRUE(keys);
    jose::JwtRules rules;
    rules.issuer = std::string(issuer);
    rules.audience = "app";
    auto id_token =
        jose::verify_jwt(b2["id_token"].get<std::string>(), *keys, rules,
                         std::chrono::system_clock::time_point(std::chrono::seconds(now_)));
    ASSERT_TRUE(id_token) << id_token.error().detail;
    EXPECT_EQ(id_token->claims["sub"], std::to_string(user_id_));
    EXPECT_EQ(id_token->claims["auth_time"], now_ - 90);
    EXPECT_EQ(id_token->claims["sid"], "sid-1");
    EXPECT_EQ(id_token->claims["amr"], json::array({"pwd"}));
    EXPECT_FALSE(id_token->claims.contains("nonce"));

    EXPECT_TRUE(introspect_as("app", at1)["active"]);
    auto live = introspect_as("app", rt2);
    EXPECT_EQ(live["active"], true);
    EXPECT_EQ(live["client_id"], "app");
    EXPECT_EQ(live["sub"], std::to_string(user_id_));
    EXPECT_EQ(live["scope"], "openid profile offline_access");
    EXPECT_EQ(live["iat"], now_);
    EXPECT_EQ(live["exp"], now_ + 14 * day);
    EXPECT_EQ(introspect_as("app", rt1), json({{"active", false}}));  // spent

    // rt1 again, well after the grace window: theft is assumed and the grant ends.
    now_ += 60;
    auto reuse = refresh("app", rt1);
    EXPECT_EQ(reuse.status, 400);
    EXPECT_EQ(body_of(reuse)["error"], "invalid_grant");
    EXPECT_EQ(introspect_as("app", at1), json({{"active", false}}));
    EXPECT_EQ(introspect_as("app", b2["access_token"]), json({{"active", false}}));
    EXPECT_EQ(introspect_as("app", rt2), json({{"active", false}}));
    EXPECT_EQ(body_of(refresh("app", rt2))["error"], "invalid_grant");
}

TEST_F(RefreshTokenTest, ReuseInsideTheGraceWindowGivesAFreshPair) {
    add_code_client("app");
    const std::string rt1 = body_of(redeem("app", code_for("app")))["refresh_token"];
    auto a = refresh("app", rt1);
    ASSERT_EQ(a.status, 200) << a.body;
    now_ += 1;  // a second tab, a moment later
    auto b = refresh("app", rt1);
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_NE(body_of(a)["refresh_token"], body_of(b)["refresh_token"]);
    // Both successors work: the family was not revoked.
    now_ += 10;
    EXPECT_EQ(refresh("app", body_of(a)["refresh_token"]).status, 200);
    EXPECT_EQ(refresh("app", body_of(b)["refresh_token"]).status, 200);
}

TEST_F(RefreshTokenTest, ScopeNarrowsButNeverWidens) {
    add_code_client("app");
    const std::string rt1 =
        body_of(redeem("app", code_for("app", "openid offline_access read")))["refresh_token"];
    auto narrow = refresh("app", rt1, "&scope=read");
    ASSERT_EQ(narrow.status, 200) << narrow.body;
    EXPECT_EQ(body_of(narrow)["scope"], "read");
    EXPECT_FALSE(body_of(narrow).contains("id_token"));  // no openid, no ID token
    const std::string rt2 = body_of(narrow)["refresh_token"];
    // The refresh token keeps the whole grant (RFC 6749 §6).
    EXPECT_EQ(introspect_as("app", rt2)["scope"], "openid offline_access read");
    auto wider = refresh("app", rt2, "&scope=openid%20email");
    EXPECT_EQ(wider.status, 400);
    EXPECT_EQ(body_of(wider)["error"], "invalid_scope");
    // A refused request spends nothing.
    auto full = refresh("app", rt2);
    ASSERT_EQ(full.status, 200) << full.body;
    EXPECT_EQ(body_of(full)["scope"], "openid offline_access read");
}

TEST_F(RefreshTokenTest, AnotherClientsRefreshTokenIsInvalidGrantAndStaysUsable) {
    add_code_client("app");
    add_code_client("other", false);
    const std::string rt = body_of(redeem("app", code_for("app")))["refresh_token"];
    auto stolen = refresh("other", rt);
    EXPECT_EQ(stolen.status, 400);
    EXPECT_EQ(body_of(stolen)["error"], "invalid_grant");
    EXPECT_EQ(refresh("app", rt).status, 200);
    EXPECT_EQ(body_of(refresh("app", "made-up"))["error"], "invalid_grant");
    EXPECT_EQ(body_of(send("/token", "grant_type=refresh_token", "app"))["error"],
              "invalid_request");
}

TEST_F(RefreshTokenTest, IdleAndAbsoluteExpiry) {
    add_code_client("app");
    std::string rt = body_of(redeem("app", code_for("app")))["refresh_token"];
    now_ += 14 * day;  // unused for the whole idle lifetime
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");

    rt = body_of(redeem("app", code_for("app")))["refresh_token"];
    const std::int64_t start = now_;
    while (now_ + 13 * day < start + 30 * day) {
        now_ += 13 * day;  // used often enough to stay alive...
        auto r = refresh("app", rt);
        ASSERT_EQ(r.status, 200) << r.body;
        rt = body_of(r)["refresh_token"];
        // ...yet never beyond the grant's absolute lifetime.
        EXPECT_LE(introspect_as("app", rt)["exp"].get<std::int64_t>(), start + 30 * day);
    }
    now_ = start + 30 * day;
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");
}

TEST_F(RefreshTokenTest, RevokingARefreshTokenEndsTheGrantAndItsAccessTokens) {
    add_code_client("app", false);
    add_code_client("other", false);
    auto first = body_of(redeem("app", code_for("app")));
    const std::string rt = first["refresh_token"];
    EXPECT_EQ(send("/revoke", "token=" + rt, "other").status, 400);  // not its token
    auto revoked = send("/revoke", "token=" + rt + "&token_type_hint=refresh_token", "app");
    EXPECT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(introspect_as("app", first["access_token"]), json({{"active", false}}));
    EXPECT_EQ(introspect_as("app", rt), json({{"active", false}}));
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");
    EXPECT_EQ(send("/revoke", "token=" + rt, "app").status, 200);  // again: no error
}

TEST_F(RefreshTokenTest, APairwiseClientSeesItsOwnSubAfterEveryRefresh) {
    pairwise_ = true;
    add_code_client("pw", false);
    auto first = body_of(redeem("pw", code_for("pw")));
    ASSERT_TRUE(first.contains("refresh_token")) << first;
    const std::string sub = sub_in(first["id_token"]);
    EXPECT_NE(sub, std::to_string(user_id_));  // never the local id
    auto next = body_of(refresh("pw", first["refresh_token"]));
    ASSERT_TRUE(next.contains("id_token")) << next;
    EXPECT_EQ(sub_in(next["id_token"]), sub);
    EXPECT_EQ(introspect_as("pw", next["access_token"])["sub"], sub);
    EXPECT_EQ(introspect_as("pw", next["refresh_token"])["sub"], sub);
}

TEST_F(RefreshTokenTest, EndingAUsersGrantsRevokesRefreshAndAccessTokens) {
    add_code_client("app", false);
    add_code_client("other", false);
    auto app = body_of(redeem("app", code_for("app")));
    auto other = body_of(redeem("other", code_for("other")));
    provider_->end_grants(user_id_, "app");  // the user withdrew the consent of "app"
    EXPECT_EQ(body_of(refresh("app", app["refresh_token"]))["error"], "invalid_grant");
    EXPECT_EQ(introspect_as("app", app["access_token"]), json({{"active", false}}));
    auto still = refresh("other", other["refresh_token"]);
    EXPECT_EQ(still.status, 200) << still.body;
    provider_->end_grants(user_id_, "");  // a new password: every client
    EXPECT_EQ(body_of(refresh("other", body_of(still)["refresh_token"]))["error"], "invalid_grant");
}

TEST_F(RefreshTokenTest, AReplayedCodeRevokesTheRefreshTokenItGave) {
    add_code_client("app");
    const std::string code = code_for("app");
    const std::string rt = body_of(redeem("app", code))["refresh_token"];
    EXPECT_EQ(body_of(redeem("app", code))["error"], "invalid_grant");
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");
}

TEST_F(RefreshTokenTest, ADisabledUserCannotRefresh) {
    add_code_client("app");
    const std::string rt = body_of(redeem("app", code_for("app")))["refresh_token"];
    user_disabled_ = true;
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");
    user_disabled_ = false;
    EXPECT_EQ(body_of(refresh("app", rt))["error"], "invalid_grant");  // the grant is gone
}

TEST_F(RefreshTokenTest, DpopBindsTheTokensAndUserinfoDemandsTheKey) {
    add_code_client("spa", true, oidc::AccessTokenFormat::jwt);
    auto key = jose::Key::generate(jose::Alg::es256);
    auto other_key = jose::Key::generate(jose::Alg::eddsa);
    ASSERT_TRUE(key && other_key);
    auto issued = redeem("spa", code_for("spa"), proof(*key, "/token"));
    ASSERT_EQ(issued.status, 200) << issued.body;
    auto body = body_of(issued);
    EXPECT_EQ(body["token_type"], "DPoP");
    const std::string at = body["access_token"];
    const std::string rt = body["refresh_token"];
    auto seen = introspect_as("spa", at);
    EXPECT_EQ(seen["token_type"], "DPoP");
    EXPECT_EQ(seen["cnf"]["jkt"], key->thumbprint());
    EXPECT_EQ(introspect_as("spa", rt)["cnf"]["jkt"], key->thumbprint());

    auto ok = userinfo("DPoP " + at, proof(*key, "/userinfo", at, "GET"));
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(body_of(ok)["sub"], std::to_string(user_id_));
    auto as_bearer = userinfo("Bearer " + at);
    EXPECT_EQ(as_bearer.status, 401);
    EXPECT_EQ(as_bearer.headers.get("WWW-Authenticate").value_or("").rfind("DPoP ", 0), 0u);
    EXPECT_NE(as_bearer.headers.get("WWW-Authenticate")->find("error=\"invalid_token\""),
              std::string::npos);
    auto wrong_key = userinfo("DPoP " + at, proof(*other_key, "/userinfo", at, "GET"));
    EXPECT_EQ(wrong_key.status, 401);
    EXPECT_NE(wrong_key.headers.get("WWW-Authenticate")->find("error=\"invalid_dpop_proof\""),
              std::string::npos);
    auto no_ath = userinfo("DPoP " + at, proof(*key, "/userinfo", {}, "GET"));
    EXPECT_EQ(no_ath.status, 401);
    auto no_proof = userinfo("DPoP " + at);
    EXPECT_EQ(no_proof.status, 401);

    // The public client's refresh token is bound to the key too (RFC 9449 §5).
    EXPECT_EQ(body_of(refresh("spa", rt))["error"], "invalid_dpop_proof");
    EXPECT_EQ(body_of(refresh("spa", rt, {}, proof(*other_key, "/token")))["error"],
              "invalid_grant");
    auto rotated = refresh("spa", rt, {}, proof(*key, "/token"));
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_EQ(body_of(rotated)["token_type"], "DPoP");

    // A bad proof at /token is invalid_dpop_proof, 400.
    auto bad = redeem("spa", code_for("spa"), proof(*key, "/userinfo"));
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body_of(bad)["error"], "invalid_dpop_proof");
}

TEST_F(RefreshTokenTest, OpaqueDpopTokensAndClientsThatMustUseDpop) {
    add_code_client("bound", false, oidc::AccessTokenFormat::opaque, true, true);
    auto key = jose::Key::generate(jose::Alg::rs256);
    ASSERT_TRUE(key);
    auto without = redeem("bound", code_for("bound"));
    EXPECT_EQ(without.status, 400);
    EXPECT_EQ(body_of(without)["error"], "invalid_dpop_proof");
    auto with = body_of(redeem("bound", code_for("bound"), proof(*key, "/token")));
    EXPECT_EQ(with["token_type"], "DPoP");
    const std::string at = with["access_token"];
    EXPECT_EQ(introspect_as("bound", at)["cnf"]["jkt"], key->thumbprint());
    EXPECT_EQ(userinfo("DPoP " + at, proof(*key, "/userinfo", at, "GET")).status, 200);
    EXPECT_EQ(userinfo("Bearer " + at).status, 401);
    // A confidential client's refresh token is not key-bound: its authentication binds it.
    auto refreshed = refresh("bound", with["refresh_token"], {}, proof(*key, "/token"));
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_FALSE(introspect_as("bound", body_of(refreshed)["refresh_token"]).contains("cnf"));
}

// The npm `jose` package (tests/e2e) makes the proof: another implementation's DPoP JWT,
// its RFC 7638 thumbprint and its ath must all agree with ours.
std::string run_node(const std::vector<std::string>& args) {
    const auto script =
        std::filesystem::path(IDPD_SOURCE_DIR) / "tests" / "e2e" / "jose_interop.mjs";
    std::string command = "node '" + script.string() + "'";
    for (const auto& arg : args) {
        command += " '" + arg + "'";
    }
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        out.append(buffer.data(), n);
    }
    EXPECT_EQ(pclose(pipe), 0) << command;
    return out;
}

TEST_F(RefreshTokenTest, ADpopProofMadeByNodeJoseIsAccepted) {
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(IDPD_SOURCE_DIR) / "tests" / "e2e" /
                                        "node_modules" / "jose" / "package.json"))
        << "run `npm ci --prefix tests/e2e` (make test does)";
    add_code_client("app", true, oidc::AccessTokenFormat::opaque);
    for (const char* alg : {"ES256", "RS256", "PS256", "EdDSA"}) {
        auto made = json::parse(
            run_node({"dpop", alg, "POST", std::string(issuer) + "/token", std::to_string(now_)}));
        auto issued = redeem("app", code_for("app"), made["proof"]);
        ASSERT_EQ(issued.status, 200) << alg << ": " << issued.body;
        const std::string at = body_of(issued)["access_token"];
        EXPECT_EQ(introspect_as("app", at)["cnf"]["jkt"], made["jkt"]) << alg;
        // A proof for the resource request, with ath computed by node.
        auto proof_with_ath = json::parse(run_node(
            {"dpop", alg, "GET", std::string(issuer) + "/userinfo", std::to_string(now_), at}));
        // Node made a fresh key, so the binding check refuses it, after the proof (and ath)
        // passed: invalid_dpop_proof names the key, not the proof's form.
        auto r = userinfo("DPoP " + at, proof_with_ath["proof"]);
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(body_of(r)["error_description"], "the DPoP proof's key is not the token's")
            << alg;
    }
}

}  // namespace
}  // namespace idpd::testing_support
