// - response_mode is query (the default for code) or form_post (OAuth 2.0 Form Post Response
//   Mode); fragment is refused, since a code never goes in a fragment.
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<ResponseMode> check_response_mode(const AuthorizeRequest& request) {
    auto mode = request.get("response_mode");
    if (!mode || *mode == "query") {
        return ResponseMode::query;
    }
    if (*mode == "form_post") {
        return ResponseMode::form_post;
    }
    return fail(ErrorCode::invalid_request, "response_mode must be query or form_post");
}

}  // namespace idpd::oidc
