// oidc::RefreshTokenStore and oidc::DpopReplayCache on every backend: only hashes are stored,
// a family reads back as written, one rotation wins a race among 50 threads, a reuse outside
// the grace window revokes the family (and reports its access tokens), reuse inside it yields
// successors, and a DPoP jti is accepted once.
#include "oidc/refresh_token_store.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance/backend.h"
#include "oidc/access_token_store.h"
#include "oidc/client_store.h"
#include "oidc/dpop.h"

namespace idpd::conformance {
namespace {

using oidc::NewRefreshToken;
using oidc::RefreshFamily;
using oidc::RefreshTokenStore;
using oidc::Rotation;

constexpr std::int64_t t0 = 1'700'000'000;

RefreshFamily family_in(store::Database& db) {
    oidc::Client client;
    client.client_id = "app";
    client.name = "app";
    client.created_at = t0;
    oidc::ClientStore clients{db};
    EXPECT_TRUE(clients.create(client));
    RefreshFamily family;
    family.family_id = "family-1";
    family.client_id = "app";
    family.user_id = 42;
    family.subject = "pairwise-sub-of-42";
    family.sid = "sid-ü";
    family.scope = "openid offline_access";
    family.auth_time = t0 - 5;
    family.amr = "pwd otp";
    family.jkt = "jkt-of-the-key";
    family.created_at = t0;
    family.expires_at = t0 + 3600;
    return family;
}

NewRefreshToken token(const std::string& value, std::int64_t now, const std::string& jti) {
    NewRefreshToken next;
    next.value = value;
    next.issued_at = now;
    next.expires_at = now + 600;
    next.access_token.access_token_jti = jti;
    next.access_token.expires_at = now + 60;
    return next;
}

TEST_P(StoreTest, RefreshTokenFamilyIsStoredByHashAndReadBack) {
    RefreshTokenStore store{db()};
    const auto family = family_in(db());
    ASSERT_TRUE(store.start_family(family, token("rt-1", t0, "at-1")));
    auto rows = db().query("SELECT token_hash FROM refresh_tokens", {});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().text(0), oidc::sha256("rt-1"));
    auto found = store.find("rt-1");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->family.family_id, "family-1");
    EXPECT_EQ(found->family.client_id, "app");
    EXPECT_EQ(found->family.user_id, 42);
    EXPECT_EQ(found->family.subject, "pairwise-sub-of-42");
    EXPECT_EQ(found->family.sid, "sid-ü");
    EXPECT_EQ(found->family.scope, "openid offline_access");
    EXPECT_EQ(found->family.auth_time, t0 - 5);
    EXPECT_EQ(found->family.amr, "pwd otp");
    EXPECT_EQ(found->family.jkt, "jkt-of-the-key");
    EXPECT_EQ(found->family.expires_at, t0 + 3600);
    EXPECT_FALSE(found->family.revoked);
    EXPECT_EQ(found->issued_at, t0);
    EXPECT_EQ(found->expires_at, t0 + 600);
    EXPECT_FALSE(found->used_at);
    EXPECT_EQ(store.find("RT-1").error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, RotationSpendsTheTokenAndReuseRevokesTheFamily) {
    RefreshTokenStore store{db()};
    ASSERT_TRUE(store.start_family(family_in(db()), token("rt-1", t0, "at-1")));
    auto first = store.rotate("family-1", "rt-1", token("rt-2", t0 + 10, "at-2"), t0 + 10, 2);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, Rotation::rotated);
    EXPECT_EQ(store.find("rt-1")->used_at, t0 + 10);
    EXPECT_FALSE(store.find("rt-2")->used_at);

    // Within the grace window: another successor; after it: the family is revoked.
    auto grace = store.rotate("family-1", "rt-1", token("rt-3", t0 + 12, "at-3"), t0 + 12, 2);
    ASSERT_TRUE(grace);
    EXPECT_EQ(*grace, Rotation::within_grace);
    EXPECT_TRUE(store.find("rt-3"));
    auto reuse = store.rotate("family-1", "rt-1", token("rt-4", t0 + 13, "at-4"), t0 + 13, 2);
    ASSERT_TRUE(reuse);
    EXPECT_EQ(*reuse, Rotation::reused);
    EXPECT_EQ(store.find("rt-4").error().kind, store::Error::Kind::not_found);
    EXPECT_TRUE(store.find("rt-2")->family.revoked);

    auto issued = store.access_tokens_of("family-1");
    ASSERT_TRUE(issued);
    std::vector<std::string> jtis;
    for (const auto& at : *issued) {
        jtis.push_back(at.access_token_jti.value_or(""));
    }
    std::ranges::sort(jtis);
    EXPECT_EQ(jtis, (std::vector<std::string>{"at-1", "at-2", "at-3"}));
    // Nothing rotates in a revoked family, not even its unused tokens.
    auto dead = store.rotate("family-1", "rt-2", token("rt-5", t0 + 14, "at-5"), t0 + 14, 2);
    ASSERT_TRUE(dead);
    EXPECT_EQ(*dead, Rotation::dead);
}

TEST_P(StoreTest, FamilyPastItsAbsoluteExpiryDoesNotRotate) {
    RefreshTokenStore store{db()};
    ASSERT_TRUE(store.start_family(family_in(db()), token("rt-1", t0, "at-1")));
    auto late = store.rotate("family-1", "rt-1", token("rt-2", t0 + 3600, "at-2"), t0 + 3600, 2);
    ASSERT_TRUE(late);
    EXPECT_EQ(*late, Rotation::dead);
    EXPECT_FALSE(store.find("rt-1")->used_at);
}

TEST_P(StoreTest, FamilyOfAnAccessTokenAndRevocation) {
    RefreshTokenStore store{db()};
    ASSERT_TRUE(store.start_family(family_in(db()), token("rt-1", t0, "at-1")));
    oidc::IssuedFromCode at1;
    at1.access_token_jti = "at-1";
    EXPECT_EQ(store.family_of(at1).value(), "family-1");
    oidc::IssuedFromCode unknown;
    unknown.access_token_hash = oidc::sha256("nope");
    EXPECT_FALSE(store.family_of(unknown).value());
    auto revoked = store.revoke_family("family-1");
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->size(), 1u);
    EXPECT_TRUE(store.find("rt-1")->family.revoked);
}

TEST_P(StoreTest, ExpiredRefreshTokensAndFamiliesAreDeleted) {
    RefreshTokenStore store{db()};
    ASSERT_TRUE(store.start_family(family_in(db()), token("rt-1", t0, "at-1")));
    EXPECT_EQ(store.delete_expired(t0 + 599).value(), 0u);
    EXPECT_EQ(store.delete_expired(t0 + 600).value(), 1u);  // the token's idle expiry
    EXPECT_EQ(store.find("rt-1").error().kind, store::Error::Kind::not_found);
    EXPECT_EQ(store.delete_expired(t0 + 3600).value(), 1u);  // the family's absolute one
}

// Outside any grace window, 50 concurrent uses of one token: exactly one rotates, the others
// are reuse, and the family ends revoked (RFC 9700 §4.14.2: the server cannot tell the
// legitimate client from an attacker, so it ends the grant).
TEST_P(StoreTest, FiftyConcurrentRotationsOneWinsAndTheFamilyIsRevoked) {
    {
        RefreshTokenStore store{db()};
        ASSERT_TRUE(store.start_family(family_in(db()), token("rt-0", t0, "at-0")));
    }
    std::atomic<int> rotated{0};
    std::atomic<int> reused{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i) {
        threads.emplace_back([&, i] {
            RefreshTokenStore store{db()};
            const std::string n = std::to_string(i);
            auto outcome =
                store.rotate("family-1", "rt-0", token("next-" + n, t0 + 5, "at-" + n), t0 + 5, 0);
            if (outcome && *outcome == Rotation::rotated) {
                ++rotated;
            } else if (outcome && *outcome == Rotation::reused) {
                ++reused;
            } else if (outcome && *outcome == Rotation::dead) {
                ++reused;  // a loser that came after another loser revoked the family
            } else {
                ++other;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(rotated.load(), 1);
    EXPECT_EQ(reused.load(), 49);
    EXPECT_EQ(other.load(), 0);
    RefreshTokenStore store{db()};
    EXPECT_TRUE(store.find("rt-0")->family.revoked);
    auto rows = db().query("SELECT COUNT(*) FROM refresh_tokens", {});
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().integer(0), 2);  // rt-0 and the one successor
}

// Inside the grace window every concurrent use gets a successor and the family lives.
TEST_P(StoreTest, ConcurrentRotationsInsideTheGraceWindowAllSucceed) {
    {
        RefreshTokenStore store{db()};
        ASSERT_TRUE(store.start_family(family_in(db()), token("rt-0", t0, "at-0")));
    }
    std::atomic<int> rotated{0};
    std::atomic<int> grace{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&, i] {
            RefreshTokenStore store{db()};
            const std::string n = std::to_string(i);
            auto outcome =
                store.rotate("family-1", "rt-0", token("next-" + n, t0 + 5, "at-" + n), t0 + 5, 2);
            if (outcome && *outcome == Rotation::rotated) {
                ++rotated;
            } else if (outcome && *outcome == Rotation::within_grace) {
                ++grace;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(rotated.load(), 1);
    EXPECT_EQ(grace.load(), 19);
    RefreshTokenStore store{db()};
    EXPECT_FALSE(store.find("rt-0")->family.revoked);
}

TEST_P(StoreTest, DpopJtiIsAcceptedOncePerKeyAndExpires) {
    oidc::DpopReplayCache cache{db()};
    EXPECT_EQ(cache.remember("jkt-a", "jti-1", t0 + 60).value(), true);
    EXPECT_EQ(cache.remember("jkt-a", "jti-1", t0 + 60).value(), false);
    EXPECT_EQ(cache.remember("jkt-b", "jti-1", t0 + 60).value(), true);
    EXPECT_EQ(cache.remember("jkt-a", "JTI-1", t0 + 60).value(), true);
    EXPECT_EQ(cache.delete_expired(t0 + 59).value(), 0u);
    EXPECT_EQ(cache.delete_expired(t0 + 60).value(), 3u);
    EXPECT_EQ(cache.remember("jkt-a", "jti-1", t0 + 120).value(), true);
}

TEST_P(StoreTest, RefreshTokenLiveFamiliesOfAUserExcludeRevokedAndOtherUsers) {
    RefreshTokenStore store{db()};
    auto family = family_in(db());
    ASSERT_TRUE(store.start_family(family, token("rt-1", t0, "at-1")));
    auto second = family;
    second.family_id = "family-2";
    ASSERT_TRUE(store.start_family(second, token("rt-2", t0, "at-2")));
    auto other_user = family;
    other_user.family_id = "family-3";
    other_user.user_id = 43;
    ASSERT_TRUE(store.start_family(other_user, token("rt-3", t0, "at-3")));
    ASSERT_TRUE(store.revoke_family("family-2"));

    auto live = store.live_families_of(42, "");
    ASSERT_TRUE(live) << live.error().message;
    ASSERT_EQ(live->size(), 1u);
    EXPECT_EQ(live->front().first, "family-1");
    EXPECT_EQ(live->front().second, "app");
    auto of_client = store.live_families_of(42, "app");
    ASSERT_TRUE(of_client);
    EXPECT_EQ(of_client->size(), 1u);
    auto of_other_client = store.live_families_of(42, "another-app");
    ASSERT_TRUE(of_other_client);
    EXPECT_TRUE(of_other_client->empty());
}

}  // namespace
}  // namespace idpd::conformance
