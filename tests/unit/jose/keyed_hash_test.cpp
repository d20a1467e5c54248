// jose::KeyedHash must keep producing what Python's hmac module computes for the same master
// key and label: stored client secrets, API keys and recovery codes depend on it.
#include "jose/keyed_hash.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace idpd::jose {
namespace {

std::string hex(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

MasterKey counting_key() {
    std::string bytes;
    for (int i = 1; i <= 32; ++i) {
        bytes += static_cast<char>(i);
    }
    return MasterKey::from_bytes(bytes).value();
}

// Expected values: k = hmac.new(bytes(range(1, 33)), label, sha256).digest();
// hmac.new(k, message, sha256).hexdigest().
TEST(KeyedHash, MatchesAnIndependentHmacUnderTheDerivedKey) {
    const MasterKey master = counting_key();
    const KeyedHash hash(master, "idpd client secret v1");
    EXPECT_EQ(hex(hash("bench-secret")),
              "e7b66b39182baf618042dee064a3fc7fa92fbb939c6293b5dcafaeeaa58a3917");
    EXPECT_EQ(hex(hash("")), "0e6c2c0c4a65b9c047ce0e58acb4e358ddc54c8156db3b7c66d57d9c945add40");
}

TEST(KeyedHash, EachLabelIsItsOwnKeyAndMatchesComparesTheWholeHash) {
    const MasterKey master = counting_key();
    const KeyedHash secrets(master, "idpd client secret v1");
    const KeyedHash keys(master, "idpd api key v1");
    EXPECT_NE(secrets("x"), keys("x"));
    const std::string stored = secrets("the secret");
    EXPECT_TRUE(secrets.matches("the secret", stored));
    EXPECT_FALSE(secrets.matches("the secreT", stored));
    EXPECT_FALSE(keys.matches("the secret", stored));
    EXPECT_FALSE(secrets.matches("the secret", stored.substr(0, 31)));
}

TEST(KeyedHash, ConcurrentCallsGiveTheSameAnswer) {
    const MasterKey master = counting_key();
    const KeyedHash hash(master, "idpd client secret v1");
    const std::string expected = hash("bench-secret");
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                wrong[t] += hash("bench-secret") != expected ? 1 : 0;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace idpd::jose
