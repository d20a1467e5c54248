// - prompt is a space-separated set of none, login, consent, select_account (OIDC Core
//   §3.1.2.1); an unknown value is invalid_request;
// - none with any other value is invalid_request (§3.1.2.1: "MUST NOT be used in combination").
#include "oidc/authorize/checks.h"
#include "oidc/scope.h"

namespace idpd::oidc {

Result<Prompt> check_prompt(const AuthorizeRequest& request) {
    Prompt prompt;
    auto text = request.get("prompt");
    if (!text) {
        return prompt;
    }
    const auto values = split_scope(*text);
    for (const auto& value : values) {
        if (value == "none") {
            prompt.none = true;
        } else if (value == "login") {
            prompt.login = true;
        } else if (value == "consent") {
            prompt.consent = true;
        } else if (value == "select_account") {
            prompt.select_account = true;
        } else {
            return fail(ErrorCode::invalid_request, "prompt " + value + " is not supported");
        }
    }
    if (prompt.none && values.size() > 1) {
        return fail(ErrorCode::invalid_request, "prompt=none cannot be combined with others");
    }
    return prompt;
}

}  // namespace idpd::oidc
