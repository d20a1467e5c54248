// - a request that wants the MFA level from a session below it (never passed a second factor,
//   or its level lapsed after totp.mfa_lifetime) steps the same session up: a code, no
//   password (OIDC Core §3.1.2.1 "MAY ask the End-User to re-authenticate with additional
//   factors");
// - a user without a second factor gets the password level when MFA was only preferred; when
//   it is required, unmet_authentication_requirements, or the set-up page when configured;
// - prompt=none cannot show those pages: interaction_required (§3.1.2.6).
#include "auth/acr.h"
#include "oidc/authorize/step_up_check.h"

namespace idpd::oidc {

StepUpCheck check_step_up(const AcrRequest& acr, const BrowserSession& session,
                          const Prompt& prompt, bool offer_enrollment) {
    if (!acr.wants_mfa || session.acr == auth::acr_mfa) {
        return StepUpCheck::proceed;
    }
    if (!session.two_step_enrolled) {
        if (!acr.requires_mfa) {
            return StepUpCheck::proceed;
        }
        if (!offer_enrollment) {
            return StepUpCheck::unmet;
        }
        return prompt.none ? StepUpCheck::interaction_required : StepUpCheck::enroll;
    }
    if (prompt.none) {
        return acr.requires_mfa ? StepUpCheck::interaction_required : StepUpCheck::proceed;
    }
    return StepUpCheck::step_up;
}

}  // namespace idpd::oidc
