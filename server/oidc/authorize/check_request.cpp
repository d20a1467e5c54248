// - runs the checks that follow client and redirect_uri, in order, so /authorize and /par
//   validate a request the same way (RFC 9126 §2.1).
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<CheckedRequest> check_request(const Client& client, const AuthorizeRequest& request) {
    CheckedRequest checked;
    auto mode = check_response_mode(request);
    if (!mode) {
        return std::unexpected(mode.error());
    }
    checked.response_mode = *mode;
    if (auto ok = check_no_repeats(request); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = check_response_type(request); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = check_client_grant(client); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = check_pkce(request); !ok) {
        return std::unexpected(ok.error());
    }
    auto scopes = check_scope(client, request);
    if (!scopes) {
        return std::unexpected(scopes.error());
    }
    checked.scopes = std::move(*scopes);
    auto prompt = check_prompt(request);
    if (!prompt) {
        return std::unexpected(prompt.error());
    }
    checked.prompt = *prompt;
    auto max_age = check_max_age(request);
    if (!max_age) {
        return std::unexpected(max_age.error());
    }
    checked.max_age = *max_age;
    auto acr = check_acr(request);
    if (!acr) {
        return std::unexpected(acr.error());
    }
    checked.acr = *acr;
    auto claims = check_claims(request);
    if (!claims) {
        return std::unexpected(claims.error());
    }
    checked.id_token_claims = std::move(*claims);
    return checked;
}

}  // namespace idpd::oidc
