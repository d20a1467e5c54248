// - no parameter appears twice (RFC 6749 §3.1: "MUST NOT be included more than once").
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<void> check_no_repeats(const AuthorizeRequest& request) {
    if (request.repeated) {
        return fail(ErrorCode::invalid_request, "parameter " + *request.repeated + " is repeated");
    }
    return {};
}

}  // namespace idpd::oidc
