// jose::KeyStore on every backend: first-start generation, rotation with overlap, removal after
// the longest token lifetime, and no double generation when two stores share one database.
#include "jose/key_store.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "conformance/backend.h"
#include "jose/jwt.h"

namespace idpd::conformance {
namespace {

using namespace std::chrono_literals;
using jose::Alg;
using jose::KeyState;

const std::string master_text = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

struct FakeClock {
    std::atomic<std::int64_t> seconds{1'700'000'000};

    jose::Clock clock() {
        return [this] {
            return std::chrono::system_clock::time_point(std::chrono::seconds(seconds.load()));
        };
    }
};

jose::KeyStoreOptions fast_options() {
    jose::KeyStoreOptions options;
    options.algs = {Alg::es256, Alg::eddsa};
    options.rotation_period = 1000s;
    options.publish_ahead = 100s;
    options.max_token_lifetime = 50s;
    options.reload_interval = 0s;
    return options;
}

std::size_t count_state(const std::vector<jose::KeyInfo>& infos, Alg alg, KeyState state) {
    std::size_t n = 0;
    for (const auto& info : infos) {
        n += info.alg == alg && info.state == state ? 1 : 0;
    }
    return n;
}

TEST_P(StoreTest, KeyStoreGeneratesActiveAndNextKeyPerAlgOnFirstUse) {
    auto master = jose::MasterKey::from_base64url(master_text);
    ASSERT_TRUE(master);
    FakeClock time;
    jose::KeyStore keys(db(), *master, fast_options(), time.clock());
    auto jwks = keys.jwks();
    ASSERT_TRUE(jwks) << jwks.error().detail;
    EXPECT_EQ((*jwks)["keys"].size(), 4u);
    auto infos = keys.list();
    ASSERT_TRUE(infos);
    for (Alg alg : {Alg::es256, Alg::eddsa}) {
        EXPECT_EQ(count_state(*infos, alg, KeyState::active), 1u);
        EXPECT_EQ(count_state(*infos, alg, KeyState::next), 1u);
    }
    // The private key is stored sealed, never as PKCS#8 in the clear.
    auto sealed = db().query("SELECT sealed_private_key FROM signing_keys", {});
    ASSERT_TRUE(sealed);
    for (const auto& row : *sealed) {
        EXPECT_EQ(row.text(0).front(), '\x01');
    }
}

TEST_P(StoreTest, KeyStoreWithAnotherMasterKeyCannotOpenTheKeys) {
    auto master = jose::MasterKey::from_base64url(master_text);
    auto other = jose::MasterKey::from_bytes(std::string(32, 'x'));
    ASSERT_TRUE(master && other);
    FakeClock time;
    jose::KeyStore keys(db(), *master, fast_options(), time.clock());
    ASSERT_TRUE(keys.jwks());
    jose::KeyStore wrong(db(), *other, fast_options(), time.clock());
    auto key = wrong.signing_key(Alg::es256);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, jose::ErrorCode::decryption_failed);
}

TEST_P(StoreTest, KeyRotationKeepsOldTokensVerifiableUntilTheyExpire) {
    auto master = jose::MasterKey::from_base64url(master_text);
    ASSERT_TRUE(master);
    FakeClock time;
    jose::KeyStore keys(db(), *master, fast_options(), time.clock());
    auto first = keys.signing_key(Alg::es256);
    ASSERT_TRUE(first);
    auto next_kid = [&] {
        auto infos = keys.list();
        for (const auto& info : *infos) {
            if (info.alg == Alg::es256 && info.state == KeyState::next) {
                return info.kid;
            }
        }
        return std::string();
    }();
    auto token = jose::sign_jwt(*first, jose::TokenType::at_jwt,
                                {{"iss", "i"}, {"exp", time.seconds.load() + 1050}});
    ASSERT_TRUE(token);

    time.seconds += 999;  // still inside the rotation period
    EXPECT_EQ(keys.signing_key(Alg::es256)->kid(), first->kid());
    time.seconds += 1;  // the period is over and the next key was published long enough
    auto second = keys.signing_key(Alg::es256);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->kid(), next_kid);
    auto published = keys.verification_keys();
    ASSERT_TRUE(published);
    EXPECT_NE(published->find(first->kid()), nullptr);  // retired, still published
    jose::JwtRules rules;
    rules.type = jose::TokenType::at_jwt;
    auto now = std::chrono::system_clock::time_point(std::chrono::seconds(time.seconds.load()));
    EXPECT_TRUE(jose::verify_jwt(*token, *published, rules, now));

    time.seconds += 50;  // max_token_lifetime after retirement: gone from the JWKS
    published = keys.verification_keys();
    ASSERT_TRUE(published);
    EXPECT_EQ(published->find(first->kid()), nullptr);
    EXPECT_EQ(published->size(), 4u);
}

TEST_P(StoreTest, ExplicitRotateWaitsForPublishAheadUnlessImmediate) {
    auto master = jose::MasterKey::from_base64url(master_text);
    ASSERT_TRUE(master);
    FakeClock time;
    jose::KeyStore keys(db(), *master, fast_options(), time.clock());
    const std::string first = keys.signing_key(Alg::eddsa)->kid();
    ASSERT_TRUE(keys.rotate(Alg::eddsa, false));
    EXPECT_EQ(keys.signing_key(Alg::eddsa)->kid(), first);  // next published for 0s < 100s
    time.seconds += 100;
    const std::string second = keys.signing_key(Alg::eddsa)->kid();
    EXPECT_NE(second, first);
    // The ES256 key was not asked to rotate.
    ASSERT_TRUE(keys.rotate(Alg::eddsa, true));
    EXPECT_NE(keys.signing_key(Alg::eddsa)->kid(), second);
}

TEST_P(StoreTest, TwoKeyStoresOnOneDatabaseGenerateOneKeySet) {
    auto master = jose::MasterKey::from_base64url(master_text);
    ASSERT_TRUE(master);
    FakeClock time;
    jose::KeyStore a(db(), *master, fast_options(), time.clock());
    jose::KeyStore b(db(), *master, fast_options(), time.clock());
    std::string kid_a;
    std::string kid_b;
    auto kid_of = [](jose::KeyStore& keys, std::string& kid) {
        if (auto key = keys.signing_key(Alg::es256)) {
            kid = key->kid();
        }
    };
    std::thread ta(kid_of, std::ref(a), std::ref(kid_a));
    std::thread tb(kid_of, std::ref(b), std::ref(kid_b));
    ta.join();
    tb.join();
    EXPECT_FALSE(kid_a.empty());
    EXPECT_EQ(kid_a, kid_b);
    auto count = db().query("SELECT COUNT(*) FROM signing_keys", {});
    ASSERT_TRUE(count);
    EXPECT_EQ(count->front().integer(0), 4);
    // Both rotate at the same moment: still one promotion and one new next key per alg.
    time.seconds += 1000;
    kid_a.clear();
    kid_b.clear();
    std::thread ra(kid_of, std::ref(a), std::ref(kid_a));
    std::thread rb(kid_of, std::ref(b), std::ref(kid_b));
    ra.join();
    rb.join();
    EXPECT_EQ(kid_a, kid_b);
    auto infos = a.list();
    ASSERT_TRUE(infos);
    EXPECT_EQ(count_state(*infos, Alg::es256, KeyState::active), 1u);
    EXPECT_EQ(count_state(*infos, Alg::es256, KeyState::next), 1u);
    EXPECT_EQ(count_state(*infos, Alg::es256, KeyState::retired), 1u);
}

}  // namespace
}  // namespace idpd::conformance
