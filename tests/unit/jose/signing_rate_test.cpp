// Prints sign and verify rates per alg on one core, for bench/ and capacity planning. Nothing is
// asserted: the numbers depend on the machine.

#include <chrono>
#include <cstdio>

#include <gtest/gtest.h>

#include "jose/jws.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

template <class Operation>
double rate_per_second(Operation&& operation) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto budget = std::chrono::milliseconds(200);
    int count = 0;
    while (clock::now() - start < budget) {
        operation();
        ++count;
    }
    return count / std::chrono::duration<double>(clock::now() - start).count();
}

TEST(SigningRate, PrintsOperationsPerSecondPerAlg) {
    const std::string payload(600, 'c');  // about the size of an access token's claims
    for (Alg alg : test_keys::all_algs) {
        const Key& key = test_keys::key_for(alg);
        const std::string token = sign(key, payload).value();
        const double signs = rate_per_second([&] { ASSERT_TRUE(sign(key, payload)); });
        const double verifies = rate_per_second([&] { ASSERT_TRUE(verify(token, key)); });
        std::printf("[ rate     ] %-6s sign %8.0f/s  verify %8.0f/s\n",
                    std::string(alg_name(alg)).c_str(), signs, verifies);
    }
}

}  // namespace
}  // namespace idpd::jose
