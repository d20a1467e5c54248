// acr on /authorize (authorize/check_acr.cpp, check_step_up.cpp) and the RFC 9470 challenge
// for APIs (oidc/step_up_challenge.h).
#include <gmock/gmock.h>

#include "auth/acr.h"
#include "oidc/authorize/checks.h"
#include "oidc/authorize/step_up_check.h"
#include "oidc/step_up_challenge.h"

namespace idpd::oidc {
namespace {

const std::string pwd(auth::acr_password);
const std::string mfa(auth::acr_mfa);

AuthorizeRequest request_of(std::map<std::string, std::string, std::less<>> params) {
    AuthorizeRequest request;
    request.params = std::move(params);
    return request;
}

TEST(CheckAcr, AcrValuesNamingOnlyMfaRequireIt) {
    auto only = check_acr(request_of({{"acr_values", mfa}}));
    ASSERT_TRUE(only);
    EXPECT_TRUE(only->wants_mfa);
    EXPECT_TRUE(only->requires_mfa);
    auto preferred = check_acr(request_of({{"acr_values", mfa + " " + pwd}}));
    EXPECT_TRUE(preferred->wants_mfa);
    EXPECT_FALSE(preferred->requires_mfa);
    auto password_first = check_acr(request_of({{"acr_values", pwd + " " + mfa}}));
    EXPECT_FALSE(password_first->wants_mfa);
    // Unknown values are voluntary (OIDC Core §3.1.2.1) and skipped.
    auto unknown = check_acr(request_of({{"acr_values", "urn:x " + mfa}}));
    EXPECT_TRUE(unknown->requires_mfa);
    auto nothing = check_acr(request_of({{"acr_values", "1 2"}}));
    ASSERT_TRUE(nothing);
    EXPECT_FALSE(nothing->wants_mfa);
}

TEST(CheckAcr, EssentialAcrClaimIsBindingAndAnUnsupportedOneIsUnmet) {
    auto essential = check_acr(request_of(
        {{"claims", R"({"id_token":{"acr":{"essential":true,"values":[")" + mfa + R"("]}}})"}}));
    ASSERT_TRUE(essential);
    EXPECT_TRUE(essential->requires_mfa);
    auto voluntary =
        check_acr(request_of({{"claims", R"({"id_token":{"acr":{"value":")" + mfa + R"("}}})"}}));
    EXPECT_TRUE(voluntary->wants_mfa);
    EXPECT_FALSE(voluntary->requires_mfa);
    auto unsupported = check_acr(
        request_of({{"claims", R"({"id_token":{"acr":{"essential":true,"value":"gold"}}})"}}));
    ASSERT_FALSE(unsupported);
    EXPECT_EQ(unsupported.error().code, ErrorCode::unmet_authentication_requirements);
    for (const char* bad :
         {"[]", "nope", R"({"id_token":{"acr":"x"}})", R"({"id_token":{"acr":{"values":"x"}}})",
          R"({"id_token":{"acr":{"values":[1]}}})"}) {
        auto refused = check_acr(request_of({{"claims", bad}}));
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().code, ErrorCode::invalid_request) << bad;
    }
    EXPECT_TRUE(check_acr(request_of({{"claims", R"({"userinfo":{"email":null}})"}})));
}

TEST(CheckStepUp, StepsUpOnlyASessionBelowTheLevelThatCanReachIt) {
    const AcrRequest required{true, true};
    const AcrRequest preferred{true, false};
    BrowserSession session{1, "1", 0, "pwd", pwd, true};
    EXPECT_EQ(check_step_up(required, session, {}, false), StepUpCheck::step_up);
    EXPECT_EQ(check_step_up(preferred, session, {}, false), StepUpCheck::step_up);
    EXPECT_EQ(check_step_up({}, session, {}, false), StepUpCheck::proceed);
    Prompt none;
    none.none = true;
    EXPECT_EQ(check_step_up(required, session, none, false), StepUpCheck::interaction_required);
    EXPECT_EQ(check_step_up(preferred, session, none, false), StepUpCheck::proceed);
    session.acr = mfa;
    EXPECT_EQ(check_step_up(required, session, {}, false), StepUpCheck::proceed);
    BrowserSession no_totp{1, "1", 0, "pwd", pwd, false};
    EXPECT_EQ(check_step_up(required, no_totp, {}, false), StepUpCheck::unmet);
    EXPECT_EQ(check_step_up(required, no_totp, {}, true), StepUpCheck::enroll);
    EXPECT_EQ(check_step_up(preferred, no_totp, {}, false), StepUpCheck::proceed);
}

TEST(StepUpChallenge, BuildsTheRfc9470BearerChallenge) {
    const StepUpRequirement needed{mfa, 300};
    EXPECT_EQ(insufficient_user_authentication_challenge(needed, "A second factor is required"),
              "Bearer error=\"insufficient_user_authentication\", error_description=\"A second "
              "factor is required\", acr_values=\"" +
                  mfa + "\", max_age=\"300\"");
    EXPECT_EQ(insufficient_user_authentication_challenge({std::nullopt, 0}, "bad\"\r\nx"),
              "Bearer error=\"insufficient_user_authentication\", error_description=\"badx\", "
              "max_age=\"0\"");
    auto response = insufficient_user_authentication(needed, "more");
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
    EXPECT_THAT(response.body,
                ::testing::HasSubstr("\"error\":\"insufficient_user_authentication\""));
}

}  // namespace
}  // namespace idpd::oidc
