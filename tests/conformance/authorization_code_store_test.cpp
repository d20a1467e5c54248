// oidc::AuthorizationCodeStore on every backend: only the code's hash is stored, the fields come
// back as written, one UPDATE decides a redemption race among 50 threads, and the access token
// recorded for a code can be read back for revocation.
#include "oidc/authorization_code_store.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "account/user_store.h"
#include "conformance/backend.h"
#include "oidc/access_token_store.h"
#include "oidc/client_store.h"

namespace idpd::conformance {
namespace {

using oidc::AuthorizationCode;
using oidc::AuthorizationCodeStore;

constexpr std::int64_t t0 = 1'700'000'000;

AuthorizationCode code_for(store::Database& db) {
    account::UserStore users{db};
    auto user = users.create({*account::check_username("alice"), "Alice", std::nullopt},
                             std::chrono::sys_seconds{std::chrono::seconds{t0}});
    EXPECT_TRUE(user) << user.error().message;
    oidc::Client client;
    client.client_id = "app";
    client.name = "app";
    client.redirect_uris = {"https://rp.example/cb"};
    client.created_at = t0;
    oidc::ClientStore clients{db};
    EXPECT_TRUE(clients.create(client));
    AuthorizationCode code;
    code.client_id = "app";
    code.redirect_uri = "https://rp.example/cb";
    code.scope = "openid profile";
    code.nonce = "n-ü";
    code.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    code.user_id = user ? user->id : 0;
    code.sid = "42";
    code.auth_time = t0 - 5;
    code.amr = "pwd";
    code.created_at = t0;
    code.expires_at = t0 + 60;
    return code;
}

TEST_P(StoreTest, AuthorizationCodeIsStoredByItsHashAndReadBack) {
    AuthorizationCodeStore codes{db()};
    const auto code = code_for(db());
    ASSERT_TRUE(codes.add("the-code", code));
    auto rows = db().query("SELECT code_hash FROM authorization_codes", {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), oidc::sha256("the-code"));

    auto found = codes.find("the-code");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->client_id, "app");
    EXPECT_EQ(found->redirect_uri, code.redirect_uri);
    EXPECT_EQ(found->scope, "openid profile");
    EXPECT_EQ(found->nonce, "n-ü");
    EXPECT_EQ(found->code_challenge, code.code_challenge);
    EXPECT_EQ(found->user_id, code.user_id);
    EXPECT_EQ(found->sid, "42");
    EXPECT_EQ(found->auth_time, t0 - 5);
    EXPECT_EQ(found->amr, "pwd");
    EXPECT_EQ(found->expires_at, t0 + 60);
    EXPECT_FALSE(found->used_at);
    EXPECT_EQ(codes.find("THE-CODE").error().kind, store::Error::Kind::not_found);

    EXPECT_TRUE(*codes.consume("the-code", t0 + 1));
    EXPECT_FALSE(*codes.consume("the-code", t0 + 2));
    EXPECT_EQ(codes.find("the-code")->used_at, t0 + 1);

    ASSERT_TRUE(codes.record_issued("the-code", {std::nullopt, "jti-1", t0 + 600}));
    auto issued = codes.issued("the-code");
    ASSERT_TRUE(issued);
    EXPECT_FALSE(issued->access_token_hash);
    EXPECT_EQ(issued->access_token_jti, "jti-1");
    EXPECT_EQ(issued->expires_at, t0 + 600);

    EXPECT_EQ(*codes.delete_expired(t0 + 60), 1u);
    EXPECT_EQ(codes.find("the-code").error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, FiftyRacingRedemptionsOfOneCodeConsumeItOnce) {
    AuthorizationCodeStore codes{db()};
    ASSERT_TRUE(codes.add("raced", code_for(db())));
    std::atomic<int> won{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i) {
        threads.emplace_back([&, i] {
            auto consumed = codes.consume("raced", t0 + i);
            if (!consumed) {
                ++failed;
            } else if (*consumed) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won, 1);
    EXPECT_EQ(failed, 0);
}

}  // namespace
}  // namespace idpd::conformance
