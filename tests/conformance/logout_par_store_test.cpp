// oidc::SessionClientStore and oidc::PushedRequestStore on every backend: a session's clients are
// recorded once and handed out once (even to racing takers), and a pushed request is stored by
// the hash of its reference, read back intact, extended only while alive, and consumed once.
#include <atomic>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"
#include "oidc/access_token_store.h"
#include "oidc/client_store.h"
#include "oidc/pushed_request_store.h"
#include "oidc/session_client_store.h"

namespace idpd::conformance {
namespace {

constexpr std::int64_t t0 = 1'700'000'000;

void add_client(store::Database& db, const std::string& id) {
    oidc::Client client;
    client.client_id = id;
    client.name = id;
    client.created_at = t0;
    oidc::ClientStore clients{db};
    ASSERT_TRUE(clients.create(client));
}

TEST_P(StoreTest, SessionClientsAreRecordedOnceAndTakenOnce) {
    add_client(db(), "app");
    add_client(db(), "App");  // utf8mb4_bin: another client
    oidc::SessionClientStore store{db()};
    ASSERT_TRUE(store.add({"42", "app", "1001", t0}));
    ASSERT_TRUE(store.add({"42", "app", "1001", t0 + 5}));  // a second code in the session
    ASSERT_TRUE(store.add({"42", "App", "pairwise-ü", t0 + 1}));
    ASSERT_TRUE(store.add({"43", "app", "1001", t0 + 2}));

    auto taken = store.take("42");
    ASSERT_TRUE(taken) << taken.error().message;
    ASSERT_EQ(taken->size(), 2u);
    EXPECT_EQ((*taken)[0].client_id, "App");
    EXPECT_EQ((*taken)[0].subject, "pairwise-ü");
    EXPECT_EQ((*taken)[1].client_id, "app");
    EXPECT_EQ((*taken)[1].created_at, t0);
    EXPECT_EQ((*taken)[1].sid, "42");
    EXPECT_TRUE(store.take("42")->empty());

    EXPECT_EQ(*store.delete_created_before(t0 + 2), 0u);
    EXPECT_EQ(*store.delete_created_before(t0 + 3), 1u);
    EXPECT_TRUE(store.take("43")->empty());
}

TEST_P(StoreTest, RacingTakersTellEachClientOnce) {
    oidc::SessionClientStore store{db()};
    for (int i = 0; i < 10; ++i) {
        add_client(db(), "c" + std::to_string(i));
        ASSERT_TRUE(store.add({"7", "c" + std::to_string(i), "1", t0}));
    }
    std::atomic<int> total{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            oidc::SessionClientStore mine{db()};
            if (auto taken = mine.take("7")) {
                total += static_cast<int>(taken->size());
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(total.load(), 10);
}

TEST_P(StoreTest, PushedRequestIsStoredByHashExtendedWhileAliveAndConsumedOnce) {
    add_client(db(), "app");
    oidc::PushedRequestStore store{db()};
    oidc::PushedRequest request;
    request.client_id = "app";
    request.params = {{"client_id", "app"}, {"scope", "openid"}, {"state", "状态 & ; \"x\""}};
    request.created_at = t0;
    request.expires_at = t0 + 60;
    ASSERT_TRUE(store.add("ref-1", request));
    EXPECT_EQ(store.add("ref-1", request).error().kind, store::Error::Kind::conflict);
    auto rows = db().query("SELECT request_hash FROM par_requests", {});
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().text(0), oidc::sha256("ref-1"));

    auto found = store.find("ref-1");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->client_id, "app");
    EXPECT_EQ(found->params, request.params);
    EXPECT_EQ(found->created_at, t0);
    EXPECT_EQ(found->expires_at, t0 + 60);
    EXPECT_EQ(store.find("REF-1").error().kind, store::Error::Kind::not_found);

    EXPECT_TRUE(*store.extend("ref-1", t0 + 10, t0 + 600));
    EXPECT_EQ(store.find("ref-1")->expires_at, t0 + 600);
    EXPECT_FALSE(*store.extend("ref-1", t0 + 600, t0 + 1200));  // expired: stays so
    EXPECT_FALSE(*store.extend("nope", t0, t0 + 600));

    EXPECT_TRUE(*store.consume("ref-1"));
    EXPECT_FALSE(*store.consume("ref-1"));
    EXPECT_EQ(store.find("ref-1").error().kind, store::Error::Kind::not_found);

    request.expires_at = t0 + 60;
    ASSERT_TRUE(store.add("ref-2", request));
    request.expires_at = t0 + 120;
    ASSERT_TRUE(store.add("ref-3", request));
    EXPECT_EQ(*store.delete_expired(t0 + 60), 1u);
    EXPECT_TRUE(store.find("ref-3"));
}

}  // namespace
}  // namespace idpd::conformance
