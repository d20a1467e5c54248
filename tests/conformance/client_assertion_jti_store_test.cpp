// oidc::ClientAssertionJtiStore on every backend: a jti is accepted once per client, the
// PRIMARY KEY decides a race among 20 threads, and expired rows are swept. Also the pairwise
// subject table SubjectMapper reads back.
#include "oidc/client_assertion_jti_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "account/user_store.h"
#include "conformance/backend.h"
#include "jose/key_encryption.h"
#include "oidc/subject_mapper.h"

namespace idpd::conformance {
namespace {

constexpr std::int64_t t0 = 1'700'000'000;

TEST_P(StoreTest, AClientAssertionJtiIsUsedOncePerClient) {
    oidc::ClientAssertionJtiStore jtis{db()};
    auto first = jtis.use("app", "jti-1", t0 + 60);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(*first);
    EXPECT_FALSE(*jtis.use("app", "jti-1", t0 + 60));
    EXPECT_TRUE(*jtis.use("other-app", "jti-1", t0 + 60));
    // Case matters: jtis are compared as bytes (their SHA-256).
    EXPECT_TRUE(*jtis.use("app", "JTI-1", t0 + 60));
    EXPECT_TRUE(*jtis.use("app", std::string(2000, 'j'), t0 + 60));  // any length fits
}

TEST_P(StoreTest, TwentyRacingUsesOfOneJtiSucceedOnce) {
    oidc::ClientAssertionJtiStore jtis{db()};
    std::atomic<int> won{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&] {
            auto used = jtis.use("app", "raced", t0 + 60);
            if (!used) {
                ++failed;
            } else if (*used) {
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

TEST_P(StoreTest, ExpiredClientAssertionJtisAreSwept) {
    oidc::ClientAssertionJtiStore jtis{db()};
    ASSERT_TRUE(jtis.use("app", "old", t0));
    ASSERT_TRUE(jtis.use("app", "new", t0 + 600));
    auto swept = jtis.delete_expired(t0 + 1);
    ASSERT_TRUE(swept);
    EXPECT_EQ(*swept, 1u);
    EXPECT_TRUE(*jtis.use("app", "old", t0 + 700));  // gone, so usable: its assertion expired
    EXPECT_FALSE(*jtis.use("app", "new", t0 + 600));
}

TEST_P(StoreTest, PairwiseSubjectsMapBackToTheirUser) {
    account::UserStore users{db()};
    auto user = users.create({*account::check_username("alice"), "Alice", std::nullopt},
                             std::chrono::sys_seconds{std::chrono::seconds{t0}});
    ASSERT_TRUE(user) << user.error().message;
    auto master = jose::MasterKey::from_bytes(std::string(32, 'm'));
    oidc::ClientSecretHasher hasher(*master);
    oidc::SubjectMapper subjects(db(), hasher, [] { return std::chrono::system_clock::now(); });
    oidc::Client client;
    client.client_id = "pw";
    client.subject_type = oidc::SubjectType::pairwise;
    client.redirect_uris = {"https://rp.example.com/cb"};
    auto sub = subjects.subject_for(client, user->id);
    ASSERT_TRUE(sub);
    EXPECT_EQ(*sub, subjects.pairwise_subject("rp.example.com", user->id));
    EXPECT_TRUE(subjects.subject_for(client, user->id));  // recorded once, found again
    auto back = subjects.user_of(*sub);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, user->id);
    EXPECT_EQ(*subjects.user_of(std::to_string(user->id)), user->id);
    EXPECT_FALSE(*subjects.user_of(subjects.pairwise_subject("elsewhere.example", user->id)));
}

}  // namespace
}  // namespace idpd::conformance
