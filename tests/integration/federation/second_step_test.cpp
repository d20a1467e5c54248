// An account with two-step verification passes its second step after an upstream sign-in too:
// GitHub proves who the user is, but no session exists until a TOTP code is given.
#include <regex>

#include <gtest/gtest.h>

#include "auth/totp.h"
#include "integration/federation/federation_fixture.h"

namespace idpd::testing_support {
namespace {

class FederationSecondStepTest : public FederationTest {
protected:
    std::chrono::sys_seconds app_now() const {
        return std::chrono::time_point_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_));
    }

    // The code for the next 30-second step (every step is usable once), by RFC 6238.
    std::string next_code(const std::string& secret_b32) {
        advance(std::chrono::seconds(30));
        return auth::totp(*auth::base32_decode(secret_b32), app_now());
    }

    // Turns TOTP on for `b`'s user through the pages; returns the base32 secret.
    std::string enroll(Browser& b) {
        auto started = b.submit("/account/security/totp", "/account/security/totp/start", {});
        EXPECT_EQ(started.status, 303) << started.body;
        auto setup = b.get("/account/security/totp/setup");
        std::smatch m;
        EXPECT_TRUE(
            std::regex_search(setup.body, m, std::regex("id=\"totp-secret\">([A-Z2-7 ]+)<")));
        std::string secret = m.empty() ? std::string() : std::string(m[1]);
        std::erase(secret, ' ');
        auto activated =
            b.post("/account/security/totp/activate",
                   {{"csrf", Browser::csrf_of(setup.body)}, {"code", next_code(secret)}});
        EXPECT_EQ(activated.status, 200) << activated.body;
        return secret;
    }
};

TEST_F(FederationSecondStepTest, UpstreamSignInOfATotpAccountAsksForACodeBeforeAnySession) {
    Browser first(*app_);
    auto created = sign_up_with(first, "github", "octocat", "octocat@github.example");
    ASSERT_EQ(created.status, 303) << created.body;
    const std::string secret = enroll(first);
    ASSERT_FALSE(secret.empty());

    Browser b(*app_);
    auto r = upstream_login(b, "github");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location").value_or(""), "/signin/second-step");
    EXPECT_FALSE(b.cookies.contains("__Host-idpd_session")) << "no session before the code";
    EXPECT_NE(b.get("/account").status, 200);

    auto page = b.get("/signin/second-step");
    ASSERT_EQ(page.status, 200);
    auto passed = b.post("/signin/second-step",
                         {{"csrf", Browser::csrf_of(page.body)}, {"code", next_code(secret)}});
    ASSERT_EQ(passed.status, 303) << passed.body;
    EXPECT_EQ(passed.headers.get("Location").value_or(""), "/account");
    EXPECT_EQ(b.get("/account").status, 200);
}

}  // namespace
}  // namespace idpd::testing_support
