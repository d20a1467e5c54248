#pragma once

#include <chrono>

namespace idpd::store {

// How often transaction() runs `work` when it keeps failing with a retry error (deadlock,
// busy, failed certification) before it gives that error to the caller.
inline constexpr int max_transaction_attempts = 10;

// The pause before attempt `attempt + 1`: random, so the transactions that collided do not
// collide again in step, and growing with `attempt` up to about 100 ms.
std::chrono::milliseconds retry_pause(int attempt);

}  // namespace idpd::store
