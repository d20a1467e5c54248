#pragma once

// Key pairs shared by the jose tests: RSA generation takes ~0.1 s, so each alg's key is made once.

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "jose/alg.h"
#include "jose/jwk.h"

namespace idpd::jose::test_keys {

inline const Key& key_for(Alg alg) {
    static std::map<Alg, Key> keys;
    auto it = keys.find(alg);
    if (it == keys.end()) {
        auto key = Key::generate(alg);
        EXPECT_TRUE(key.has_value());
        it = keys.emplace(alg, std::move(*key)).first;
    }
    return it->second;
}

constexpr Alg all_algs[] = {Alg::rs256, Alg::ps256, Alg::es256, Alg::eddsa};

// For TEST_P names: RS256 → RS256, EdDSA → EdDSA.
inline std::string alg_test_name(const ::testing::TestParamInfo<Alg>& info) {
    return std::string(alg_name(info.param));
}

}  // namespace idpd::jose::test_keys
