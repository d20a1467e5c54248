// - PKCE is required for every code flow, and only S256 (RFC 7636 §4.2, OAuth 2.1 §4.1.1);
//   "plain" is refused and a missing code_challenge_method does not mean plain here;
// - code_challenge is base64url of a SHA-256: 43 characters of [A-Za-z0-9-_].
#include <algorithm>
#include <cctype>

#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<void> check_pkce(const AuthorizeRequest& request) {
    auto challenge = request.get("code_challenge");
    if (!challenge) {
        return fail(ErrorCode::invalid_request, "code_challenge is required (PKCE)");
    }
    auto method = request.get("code_challenge_method");
    if (!method || *method != "S256") {
        return fail(ErrorCode::invalid_request, "code_challenge_method must be S256");
    }
    const bool well_formed =
        challenge->size() == 43 && std::ranges::all_of(*challenge, [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '-' || c == '_';
        });
    if (!well_formed) {
        return fail(ErrorCode::invalid_request,
                    "code_challenge must be the base64url SHA-256 of the verifier");
    }
    return {};
}

}  // namespace idpd::oidc
