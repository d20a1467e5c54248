#include "oidc/authorize/consent_check.h"

namespace idpd::oidc {

ConsentCheck check_consent(const Client& client, const std::vector<std::string>& scopes,
                           const Prompt& prompt, const std::optional<auth::Consent>& granted,
                           const ConsentAnswer& answer) {
    if (client.first_party) {
        return ConsentCheck::proceed;
    }
    if (answer.denied && answer.asked_at) {
        return ConsentCheck::denied;
    }
    bool fits = granted && auth::covers(granted->scopes, scopes);
    if (fits && prompt.consent) {
        // Only a consent given after this request asked for it answers prompt=consent.
        fits =
            answer.asked_at && granted->granted_at.time_since_epoch().count() >= *answer.asked_at;
    }
    if (fits) {
        return ConsentCheck::proceed;
    }
    return prompt.none ? ConsentCheck::consent_required : ConsentCheck::ask;
}

}  // namespace idpd::oidc
