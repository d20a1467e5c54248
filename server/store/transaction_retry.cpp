#include "store/transaction_retry.h"

#include <algorithm>
#include <random>

namespace idpd::store {

std::chrono::milliseconds retry_pause(int attempt) {
    // Jitter only: nothing depends on the exact value, so a per-thread generator is enough and
    // needs no injection for tests.
    thread_local std::minstd_rand generator{std::random_device{}()};
    const int ceiling = std::min(100, 2 << std::clamp(attempt, 0, 6));
    std::uniform_int_distribution<int> pause(1, ceiling);
    return std::chrono::milliseconds{pause(generator)};
}

}  // namespace idpd::store
