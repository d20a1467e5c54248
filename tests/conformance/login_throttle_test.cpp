// auth::LoginThrottle on every backend: Keycloak's schedule (a wait every failure_factor
// failures, the cap, the reset after max_delta_time, the quick-login check), IPs counted
// apart, success clearing, and failures from racing threads counted exactly.
#include "auth/login_throttle.h"

#include <chrono>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using auth::LoginThrottle;
using auth::ThrottleOptions;
using auth::ThrottleSubject;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const LoginThrottle::TimePoint t0{seconds{1'700'000'000}};

milliseconds wait_of(LoginThrottle& throttle, const ThrottleSubject& subject,
                     LoginThrottle::TimePoint now) {
    const std::vector<ThrottleSubject> subjects{subject};
    auto wait = throttle.wait(subjects, now);
    EXPECT_TRUE(wait) << wait.error().message;
    return wait.value_or(milliseconds{-1});
}

TEST_P(StoreTest, ThrottleWaitsAMinuteEveryThirtyFailuresUpToFifteenMinutes) {
    LoginThrottle throttle(db(), ThrottleOptions{});
    const auto alice = ThrottleSubject::account("name:alice");
    auto now = t0;
    for (int i = 1; i < 30; ++i) {
        auto count = throttle.record_failure(alice, now);
        ASSERT_TRUE(count) << count.error().message;
        EXPECT_EQ(count->failures, i);
        EXPECT_EQ(wait_of(throttle, alice, now), milliseconds{0}) << i;
        now += seconds(5);  // slower than the quick-login check
    }
    auto thirtieth = throttle.record_failure(alice, now);
    ASSERT_TRUE(thirtieth);
    EXPECT_EQ(thirtieth->failures, 30);
    EXPECT_EQ(wait_of(throttle, alice, now), minutes(1));
    EXPECT_EQ(wait_of(throttle, alice, now + seconds(59)), seconds(1));
    EXPECT_LE(wait_of(throttle, alice, now + minutes(1)), milliseconds{0});
    // Another subject is not affected.
    EXPECT_EQ(wait_of(throttle, ThrottleSubject::account("name:bob"), now), milliseconds{0});

    // With a factor of 1 the wait grows a minute per failure until the 15-minute cap.
    ThrottleOptions strict;
    strict.failure_factor = 1;
    LoginThrottle fast(db(), strict);
    const auto carol = ThrottleSubject::user(7);
    for (int i = 1; i <= 20; ++i) {
        ASSERT_TRUE(fast.record_failure(carol, now));
        EXPECT_EQ(wait_of(fast, carol, now), std::min<milliseconds>(minutes(i), minutes(15))) << i;
        now += seconds(5);
    }
}

TEST_P(StoreTest, ThrottleCountStartsAgainTwelveHoursAfterTheLastFailure) {
    LoginThrottle throttle(db(), ThrottleOptions{});
    const auto alice = ThrottleSubject::account("name:alice");
    ASSERT_TRUE(throttle.record_failure(alice, t0));
    ASSERT_TRUE(throttle.record_failure(alice, t0 + hours(12)));  // exactly 12 h: still counts
    auto later = throttle.record_failure(alice, t0 + hours(24) + seconds(1));
    ASSERT_TRUE(later);
    EXPECT_EQ(later->failures, 1);
}

TEST_P(StoreTest, TwoFailuresWithinASecondLockTheAccountForAMinute) {
    LoginThrottle throttle(db(), ThrottleOptions{});
    const auto alice = ThrottleSubject::account("name:alice");
    ASSERT_TRUE(throttle.record_failure(alice, t0));
    EXPECT_EQ(wait_of(throttle, alice, t0), milliseconds{0});
    ASSERT_TRUE(throttle.record_failure(alice, t0 + milliseconds(400)));
    EXPECT_EQ(wait_of(throttle, alice, t0 + milliseconds(400)), minutes(1));
    // An IP is never locked by the quick-login check: many people may share it.
    const auto ip = ThrottleSubject::ip("203.0.113.7");
    ASSERT_TRUE(throttle.record_failure(ip, t0));
    ASSERT_TRUE(throttle.record_failure(ip, t0 + milliseconds(10)));
    EXPECT_EQ(wait_of(throttle, ip, t0 + milliseconds(10)), milliseconds{0});
}

TEST_P(StoreTest, IpsCountAgainstTheirOwnFactorAndSuccessClearsAnAccount) {
    ThrottleOptions options;
    options.ip_failure_factor = 3;
    LoginThrottle throttle(db(), options);
    const auto ip = ThrottleSubject::ip("203.0.113.7");
    const auto alice = ThrottleSubject::account("name:alice");
    auto now = t0;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(throttle.record_failure(ip, now));
        ASSERT_TRUE(throttle.record_failure(alice, now));
        now += seconds(5);
    }
    EXPECT_GT(wait_of(throttle, ip, now - seconds(5)), milliseconds{0});
    EXPECT_EQ(wait_of(throttle, alice, now), milliseconds{0});
    ASSERT_TRUE(throttle.clear(alice));
    auto fresh = throttle.record_failure(alice, now);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->failures, 1);
    // Both subjects together wait as long as the longer one.
    const std::vector<ThrottleSubject> both{alice, ip};
    auto wait = throttle.wait(both, now - seconds(5));
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, minutes(1));
}

TEST_P(StoreTest, RacingFailuresAreCountedExactly) {
    constexpr int threads = 8;
    constexpr int per_thread = 25;
    ThrottleOptions options;
    LoginThrottle throttle(db(), options);
    const auto alice = ThrottleSubject::account("name:alice");
    std::vector<std::thread> pool;
    std::atomic<int> errors{0};
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                if (!throttle.record_failure(alice, t0 + milliseconds(t * 1000 + i))) {
                    ++errors;
                }
            }
        });
    }
    for (auto& t : pool) {
        t.join();
    }
    EXPECT_EQ(errors, 0);
    auto last = throttle.record_failure(alice, t0 + seconds(60));
    ASSERT_TRUE(last);
    EXPECT_EQ(last->failures, threads * per_thread + 1);
    // 201 failures: ⌊201 / 30⌋ = 6 minutes from the last one.
    EXPECT_EQ(wait_of(throttle, alice, t0 + seconds(60)), minutes(6));
}

TEST_P(StoreTest, ThrottleSweepDeletesOnlyCountsThatRanOut) {
    LoginThrottle throttle(db(), ThrottleOptions{});
    ASSERT_TRUE(throttle.record_failure(ThrottleSubject::ip("198.51.100.1"), t0));
    ASSERT_TRUE(throttle.record_failure(ThrottleSubject::ip("198.51.100.2"), t0 + hours(10)));
    auto swept = throttle.sweep(t0 + hours(13));
    ASSERT_TRUE(swept);
    EXPECT_EQ(*swept, 1u);
}

}  // namespace
}  // namespace idpd::conformance
