// auth::CaptchaStore on every backend: the right code passes once, ignoring case; a wrong code,
// a replay, an expired or unknown challenge are refused; racing answers pass at most once.
#include "auth/captcha_store.h"

#include <atomic>
#include <chrono>
#include <span>
#include <thread>
#include <vector>

#include <gmock/gmock.h>

#include "auth/captcha_image.h"
#include "conformance/backend.h"

namespace idpd::conformance {
namespace {

using auth::CaptchaStore;
using auth::CaptchaVerdict;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::HasSubstr;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

// The same bytes every time, so the test knows the code: captcha_code(Fixed) is its answer.
class Fixed final : public auth::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& b : out) {
            b = 7;
        }
    }
};

std::string known_code() {
    Fixed fixed;
    return auth::captcha_code(fixed);
}

TEST_P(StoreTest, TheRightCodePassesOnceIgnoringCase) {
    Fixed codes;
    CaptchaStore captchas(db(), auth::system_random(), codes, {});
    auto id = captchas.issue(t0);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(id->size(), 32u);
    auto svg = captchas.image(*id, t0 + seconds(1));
    ASSERT_TRUE(svg);
    EXPECT_THAT(*svg, HasSubstr("<svg"));
    std::string lower = known_code();
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(captchas.check(*id, " " + lower + " ", t0 + seconds(5)), CaptchaVerdict::passed);
    EXPECT_EQ(captchas.check(*id, known_code(), t0 + seconds(6)), CaptchaVerdict::used);
    // An answered image is no longer served.
    EXPECT_EQ(captchas.image(*id, t0 + seconds(7)).error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, AWrongCodeUsesTheChallengeUp) {
    Fixed codes;
    CaptchaStore captchas(db(), auth::system_random(), codes, {});
    auto id = captchas.issue(t0);
    ASSERT_TRUE(id);
    EXPECT_EQ(captchas.check(*id, "XXXXX", t0 + seconds(5)), CaptchaVerdict::wrong);
    EXPECT_EQ(captchas.check(*id, known_code(), t0 + seconds(6)), CaptchaVerdict::used);
}

TEST_P(StoreTest, ChallengesExpireAndUnknownIdsAreRefused) {
    Fixed codes;
    CaptchaStore captchas(db(), auth::system_random(), codes, {true, minutes(10)});
    auto id = captchas.issue(t0);
    ASSERT_TRUE(id);
    EXPECT_EQ(captchas.check(*id, known_code(), t0 + minutes(10)), CaptchaVerdict::expired);
    EXPECT_FALSE(captchas.image(*id, t0 + minutes(10)));
    EXPECT_EQ(captchas.check(std::string(32, 'a'), known_code(), t0), CaptchaVerdict::unknown);
    EXPECT_EQ(captchas.check("not hex", known_code(), t0), CaptchaVerdict::unknown);
    auto kept = captchas.issue(t0 + minutes(5));
    ASSERT_TRUE(kept);
    auto swept = captchas.sweep(t0 + minutes(10));
    ASSERT_TRUE(swept);
    EXPECT_EQ(*swept, 1u);
    EXPECT_EQ(captchas.check(*kept, known_code(), t0 + minutes(11)), CaptchaVerdict::passed);
}

TEST_P(StoreTest, RacingRightAnswersPassOnce) {
    Fixed codes;
    CaptchaStore captchas(db(), auth::system_random(), codes, {});
    auto id = captchas.issue(t0);
    ASSERT_TRUE(id);
    std::atomic<int> passed{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; ++t) {
        pool.emplace_back([&] {
            auto verdict = captchas.check(*id, known_code(), t0 + seconds(3));
            if (!verdict) {
                ++errors;
            } else if (*verdict == CaptchaVerdict::passed) {
                ++passed;
            }
        });
    }
    for (auto& t : pool) {
        t.join();
    }
    EXPECT_EQ(errors, 0);
    EXPECT_EQ(passed, 1);
}

}  // namespace
}  // namespace idpd::conformance
