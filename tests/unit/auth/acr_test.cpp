// auth/acr: a session's level and methods, and how they lapse.
#include "auth/acr.h"

#include <gtest/gtest.h>

namespace idpd::auth {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const std::chrono::sys_seconds t0{seconds{1'700'000'000}};

TEST(Acr, MfaLevelHoldsForItsLifetimeThenDropsToThePassword) {
    EXPECT_EQ(session_acr(std::nullopt, t0, hours(1)), acr_password);
    EXPECT_EQ(session_acr(t0, t0, hours(1)), acr_mfa);
    EXPECT_EQ(session_acr(t0, t0 + hours(1) - seconds(1), hours(1)), acr_mfa);
    EXPECT_EQ(session_acr(t0, t0 + hours(1), hours(1)), acr_password);
    EXPECT_EQ(session_acr(t0 + seconds(5), t0, hours(1)), acr_password) << "from the future";
}

TEST(Acr, AmrAgreesWithTheLevel) {
    EXPECT_EQ(current_amr("pwd otp mfa", t0, t0 + seconds(5), hours(1)), "pwd otp mfa");
    EXPECT_EQ(current_amr("pwd otp mfa", t0, t0 + hours(2), hours(1)), "pwd");
    EXPECT_EQ(current_amr("pwd", std::nullopt, t0, hours(1)), "pwd");
}

TEST(Acr, SecondFactorAddsOtpForACodeAndMfaAlwaysOnce) {
    EXPECT_EQ(with_second_factor("pwd", true), "pwd otp mfa");
    EXPECT_EQ(with_second_factor("pwd", false), "pwd mfa");
    EXPECT_EQ(with_second_factor("pwd otp mfa", true), "pwd otp mfa");
    EXPECT_EQ(with_second_factor("fed", true), "fed otp mfa");
}

}  // namespace
}  // namespace idpd::auth
