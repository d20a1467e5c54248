#include "oidc/verified_token_cache.h"

#include <gtest/gtest.h>

#include "jose/jwk.h"

namespace idpd::oidc {
namespace {

jose::KeySet keys_with(const std::string& kid) {
    auto key = jose::Key::generate(jose::Alg::es256, kid);
    EXPECT_TRUE(key.has_value());
    return jose::KeySet({std::move(*key)});
}

ActiveAccessToken token_until(std::int64_t exp) {
    ActiveAccessToken active;
    active.jti = "j1";
    active.client_id = "rp";
    active.subject = "42";
    active.scope = "openid";
    active.expires_at = exp;
    return active;
}

TEST(VerifiedTokenCache, ARememberedTokenIsFoundUntilItExpires) {
    VerifiedTokenCache cache;
    const auto keys = keys_with("k1");
    cache.put("a.b.c", token_until(1000), "k1");
    auto hit = cache.find("a.b.c", 999, keys);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->subject, "42");
    EXPECT_EQ(hit->jti, "j1");
    EXPECT_FALSE(cache.find("a.b.c", 1000, keys).has_value());
    // Gone for good once seen expired.
    EXPECT_FALSE(cache.find("a.b.c", 999, keys).has_value());
}

TEST(VerifiedTokenCache, OnlyTheExactTextHits) {
    VerifiedTokenCache cache;
    const auto keys = keys_with("k1");
    cache.put("a.b.c", token_until(1000), "k1");
    EXPECT_FALSE(cache.find("a.b.d", 10, keys).has_value());
    EXPECT_FALSE(cache.find("a.b.c ", 10, keys).has_value());
    EXPECT_FALSE(cache.find("", 10, keys).has_value());
}

TEST(VerifiedTokenCache, ATokenOfARetiredKeyIsNoLongerFound) {
    VerifiedTokenCache cache;
    cache.put("a.b.c", token_until(1000), "old");
    EXPECT_FALSE(cache.find("a.b.c", 10, keys_with("new")).has_value());
}

TEST(VerifiedTokenCache, StaysBoundedAndKeepsWhatIsUsed) {
    VerifiedTokenCache cache(8);  // two generations of 5
    const auto keys = keys_with("k1");
    cache.put("hot", token_until(1000), "k1");
    for (int i = 0; i < 40; ++i) {
        std::string name = "t";
        name += std::to_string(i);  // not "t" + …: g++ 12 warns falsely (-Wrestrict)
        cache.put(name, token_until(1000), "k1");
        // A token in use moves back to the young generation and survives the churn.
        EXPECT_TRUE(cache.find("hot", 10, keys).has_value()) << i;
    }
    EXPECT_FALSE(cache.find("t0", 10, keys).has_value());
    EXPECT_TRUE(cache.find("t39", 10, keys).has_value());
}

}  // namespace
}  // namespace idpd::oidc
