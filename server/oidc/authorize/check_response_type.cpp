// - response_type is required and only "code" is served: no implicit or hybrid flow
//   (OAuth 2.1 §4.1.1; RFC 6749 §4.1.2.1 unsupported_response_type).
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<void> check_response_type(const AuthorizeRequest& request) {
    auto type = request.get("response_type");
    if (!type) {
        return fail(ErrorCode::invalid_request, "response_type is missing");
    }
    if (*type != "code") {
        return fail(ErrorCode::unsupported_response_type, "only response_type=code is supported");
    }
    return {};
}

}  // namespace idpd::oidc
