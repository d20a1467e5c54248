#pragma once

#include <chrono>
#include <cstdint>

namespace idpd::store {

// Times are INTEGER seconds since the epoch in every table; these convert at the boundary.
inline std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

inline std::chrono::sys_seconds at(std::int64_t seconds) {
    return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

}  // namespace idpd::store
