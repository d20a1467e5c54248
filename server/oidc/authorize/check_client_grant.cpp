// - the client is registered for the authorization_code grant (RFC 6749 §4.1.2.1
//   unauthorized_client).
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

Result<void> check_client_grant(const Client& client) {
    if (!client.allows_grant("authorization_code")) {
        return fail(ErrorCode::unauthorized_client,
                    "this client is not registered for the authorization code flow");
    }
    return {};
}

}  // namespace idpd::oidc
