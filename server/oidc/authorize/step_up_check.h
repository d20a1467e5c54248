#pragma once

#include "oidc/authorize/browser_session.h"
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

enum class StepUpCheck {
    proceed,               // the session's level answers the request
    step_up,               // ask this session for its second factor (no new password)
    enroll,                // offer the user to set up a second factor first
    unmet,                 // unmet_authentication_requirements
    interaction_required,  // prompt=none, but a page would be needed
};

// check_step_up.cpp: whether `session` reaches the level `acr` asks for.
StepUpCheck check_step_up(const AcrRequest& acr, const BrowserSession& session,
                          const Prompt& prompt, bool offer_enrollment);

}  // namespace idpd::oidc
