// - client_id is present and names a registered client (RFC 6749 §4.1.1);
// - an unknown client gets a page, never a redirect (RFC 6749 §4.1.2.1: "MUST NOT
//   automatically redirect the user-agent to the invalid redirection URI").
#include "oidc/authorize/checks.h"
#include "oidc/client_auth.h"

namespace idpd::oidc {

Result<Client> check_client(ClientStore& clients, const AuthorizeRequest& request) {
    auto client_id = request.get("client_id");
    if (!client_id) {
        return fail(ErrorCode::invalid_request, "client_id is missing");
    }
    auto client = clients.find(*client_id);
    if (!client) {
        if (client.error().kind == store::Error::Kind::not_found) {
            return fail(ErrorCode::invalid_request, "the client is not registered",
                        "unknown client_id " + *client_id);
        }
        return std::unexpected(database_error(client.error()));
    }
    return *client;
}

}  // namespace idpd::oidc
