#include "auth/password_hasher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

namespace idpd::auth {
namespace {

using testing::MatchesRegex;
using testing::StartsWith;

// Deterministic bytes, so a test controls every salt (style H.7).
class CountingRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& byte : out) {
            byte = next_++;
        }
    }

private:
    std::uint8_t next_ = 0;
};

// "saltsalt…" forever: the salt the reference CLI was given below.
class SaltRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& byte : out) {
            byte = static_cast<std::uint8_t>("salt"[next_++ % 4]);
        }
    }

private:
    std::size_t next_ = 0;
};

// Cheap parameters so the suite stays fast; the defaults are tested once below.
constexpr PasswordHasherOptions cheap{.memory_kib = 1024, .iterations = 1, .parallelism = 1};

PasswordHasher make(const PasswordHasherOptions& options, RandomSource& random) {
    auto hasher = PasswordHasher::create(options, random);
    EXPECT_TRUE(hasher) << hasher.error().message;
    return std::move(*hasher);
}

TEST(PasswordHasher, DefaultsAreOwaspsArgon2idConfiguration) {
    constexpr PasswordHasherOptions defaults;
    EXPECT_EQ(defaults.memory_kib, 19456U);
    EXPECT_EQ(defaults.iterations, 2U);
    EXPECT_EQ(defaults.parallelism, 1U);
}

TEST(PasswordHasher, HashIsAPhcStringWithTheConfiguredParameters) {
    CountingRandom random;
    auto hasher = make(cheap, random);
    auto phc = hasher.hash("correct horse battery staple");
    ASSERT_TRUE(phc) << phc.error().message;
    EXPECT_THAT(*phc, MatchesRegex(R"(\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$)"
                                   R"([A-Za-z0-9+/]{43})"));
}

TEST(PasswordHasher, DefaultParametersHashAndVerify) {
    auto hasher = make({}, system_random());
    auto phc = hasher.hash("密码 with spaces");
    ASSERT_TRUE(phc) << phc.error().message;
    EXPECT_THAT(*phc, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    EXPECT_TRUE(hasher.verify("密码 with spaces", *phc));
    EXPECT_FALSE(hasher.needs_rehash(*phc));
}

TEST(PasswordHasher, VerifyAcceptsOnlyTheSamePassword) {
    CountingRandom random;
    auto hasher = make(cheap, random);
    auto phc = hasher.hash("s3cret-enough");
    ASSERT_TRUE(phc);
    EXPECT_TRUE(hasher.verify("s3cret-enough", *phc));
    EXPECT_FALSE(hasher.verify("s3cret-enougH", *phc));
    EXPECT_FALSE(hasher.verify("", *phc));
    EXPECT_FALSE(hasher.verify(std::string("s3cret-enough\0", 14), *phc));
}

TEST(PasswordHasher, EachHashHasItsOwnSalt) {
    CountingRandom random;
    auto hasher = make(cheap, random);
    auto first = hasher.hash("same password");
    auto second = hasher.hash("same password");
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
    EXPECT_TRUE(hasher.verify("same password", *first));
    EXPECT_TRUE(hasher.verify("same password", *second));
}

TEST(PasswordHasher, VerifyRefusesWhatIsNotAnArgon2idPhcString) {
    CountingRandom random;
    auto hasher = make(cheap, random);
    auto phc = hasher.hash("password");
    ASSERT_TRUE(phc);
    std::string argon2i = *phc;
    argon2i.replace(0, 10, "$argon2i$");
    EXPECT_FALSE(hasher.verify("password", argon2i));
    EXPECT_FALSE(hasher.verify("password", ""));
    EXPECT_FALSE(hasher.verify("password", "$argon2id$"));
    EXPECT_FALSE(hasher.verify("password", "$argon2id$v=19$m=1024,t=1,p=1$AAAA$AAAA"));
    EXPECT_FALSE(hasher.verify("password", "password"));
    std::string tampered = *phc;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(hasher.verify("password", tampered));
}

TEST(PasswordHasher, OldHashesVerifyButNeedRehashAfterTheParametersChange) {
    CountingRandom random;
    auto old_hasher = make(cheap, random);
    auto old_phc = old_hasher.hash("password");
    ASSERT_TRUE(old_phc);
    auto new_hasher = make({.memory_kib = 2048, .iterations = 1, .parallelism = 1}, random);
    EXPECT_TRUE(new_hasher.verify("password", *old_phc));
    EXPECT_TRUE(new_hasher.needs_rehash(*old_phc));
    EXPECT_FALSE(old_hasher.needs_rehash(*old_phc));
    auto new_phc = new_hasher.hash("password");
    ASSERT_TRUE(new_phc);
    EXPECT_FALSE(new_hasher.needs_rehash(*new_phc));
    EXPECT_TRUE(new_hasher.needs_rehash("$2b$10$bcryptbcryptbcryptbcrypt"));
    EXPECT_TRUE(new_hasher.needs_rehash(""));
}

TEST(PasswordHasher, RefusesAbsurdParameters) {
    CountingRandom random;
    for (const PasswordHasherOptions& options : {
             PasswordHasherOptions{.memory_kib = 0, .iterations = 2, .parallelism = 1},
             PasswordHasherOptions{.memory_kib = 512, .iterations = 2, .parallelism = 1},
             PasswordHasherOptions{
                 .memory_kib = 5U * 1024 * 1024, .iterations = 2, .parallelism = 1},
             PasswordHasherOptions{.memory_kib = 19456, .iterations = 0, .parallelism = 1},
             PasswordHasherOptions{.memory_kib = 19456, .iterations = 1000, .parallelism = 1},
             PasswordHasherOptions{.memory_kib = 19456, .iterations = 2, .parallelism = 0},
             PasswordHasherOptions{.memory_kib = 19456, .iterations = 2, .parallelism = 64},
         }) {
        auto hasher = PasswordHasher::create(options, random);
        EXPECT_FALSE(hasher) << options.memory_kib << "," << options.iterations << ","
                             << options.parallelism;
    }
}

TEST(PasswordHasher, VerifyDummyIsFalseEvenForTheEmptyPassword) {
    CountingRandom random;
    auto hasher = make(cheap, random);
    EXPECT_FALSE(hasher.verify_dummy(""));
    EXPECT_FALSE(hasher.verify_dummy("password"));
}

// An unknown user must cost what a wrong password costs. Medians of a few runs, with a wide
// margin: the point is "one Argon2id run", not "no run at all" (which would be ~1000x faster).
TEST(PasswordHasher, VerifyDummyCostsWhatAVerifyCosts) {
    CountingRandom random;
    auto hasher = make({.memory_kib = 8192, .iterations = 2, .parallelism = 1}, random);
    auto phc = hasher.hash("the real one");
    ASSERT_TRUE(phc);
    auto median = [](auto&& run) {
        std::vector<std::chrono::nanoseconds> times;
        for (int i = 0; i < 5; ++i) {
            const auto start = std::chrono::steady_clock::now();
            run();
            times.push_back(std::chrono::steady_clock::now() - start);
        }
        std::sort(times.begin(), times.end());
        return times[2];
    };
    const auto real = median([&] { static_cast<void>(hasher.verify("wrong", *phc)); });
    const auto dummy = median([&] { static_cast<void>(hasher.verify_dummy("wrong")); });
    EXPECT_GT(dummy * 3, real);
    EXPECT_LT(dummy, real * 3);
}

}  // namespace
}  // namespace idpd::auth

namespace idpd::auth {
namespace {

// Strings from the reference implementation's CLI (Debian's argon2, 20190702):
//   printf 'correct horse battery staple' | argon2 saltsaltsaltsalt -id -t 2 -k 1024 -p 1 -e
//   printf 'pässwörd' | argon2 0123456789abcdef -id -t 1 -k 2048 -p 2 -e
// idpd hashes with its own PHC encoding and reused memory blocks (auth/argon2_memory.h), so
// both directions are checked against it.
constexpr std::string_view cli_single_lane =
    "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/"
    "+PCVcJg84nuCQwbjIQ3DVCTomOQ";
constexpr std::string_view cli_two_lanes =
    "$argon2id$v=19$m=2048,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$YC/8i3VfCgoani/"
    "osVjwom0QCedqosGPN780OUNcEe8";

TEST(PasswordHasher, HashesExactlyAsTheReferenceCli) {
    SaltRandom random;
    auto hasher = make({.memory_kib = 1024, .iterations = 2, .parallelism = 1}, random);
    // create() drew 48 bytes for the dummy (a multiple of 4): the salt is "saltsalt…" again.
    auto phc = hasher.hash("correct horse battery staple");
    ASSERT_TRUE(phc) << phc.error().message;
    EXPECT_EQ(*phc, cli_single_lane);
}

TEST(PasswordHasher, VerifiesTheReferenceCliAcrossParameters) {
    auto hasher = make(cheap, system_random());
    EXPECT_TRUE(hasher.verify("correct horse battery staple", cli_single_lane));
    EXPECT_FALSE(hasher.verify("correct horse battery stapler", cli_single_lane));
    EXPECT_TRUE(hasher.verify("pässwörd", cli_two_lanes));
    EXPECT_FALSE(hasher.verify("passwort", cli_two_lanes));
    // Padding, URL-safe characters and a cut-off tag are not libargon2's encoding.
    std::string padded(cli_single_lane);
    padded += "=";
    EXPECT_FALSE(hasher.verify("correct horse battery staple", padded));
    std::string url_safe(cli_single_lane);
    std::replace(url_safe.begin(), url_safe.end(), '/', '_');
    EXPECT_FALSE(hasher.verify("correct horse battery staple", url_safe));
    EXPECT_FALSE(hasher.verify("correct horse battery staple",
                               cli_single_lane.substr(0, cli_single_lane.size() - 10)));
}

TEST(PasswordHasher, ParallelHashesShareTheBlocksAndStayCorrect) {
    auto hasher = make(cheap, system_random());
    auto phc = hasher.hash("shared");
    ASSERT_TRUE(phc);
    std::vector<std::thread> threads;
    std::atomic<int> right{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < 4; ++j) {
                right += hasher.verify("shared", *phc) && !hasher.verify("other", *phc) ? 1 : 0;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(right.load(), 32);
}

}  // namespace
}  // namespace idpd::auth
