#pragma once

#include <optional>
#include <string>

#include "http/request.h"
#include "oidc/client.h"
#include "oidc/client_assertion.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/errors.h"
#include "oidc/form.h"

namespace idpd::oidc {

// What a request presents to identify its client, before anything is looked up.
struct ClientCredentials {
    AuthMethod method = AuthMethod::none;
    std::string client_id;
    std::optional<std::string> client_secret;
    std::optional<std::string> client_assertion;  // private_key_jwt
    std::string endpoint_path;  // the request's path: an assertion may name that endpoint
};

// Reads the client's credentials from a back-channel request:
// - Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret)), each part
//   form-urlencoded first (RFC 6749 §2.3.1), so ids and secrets may hold ':' or non-ASCII;
// - client_id and client_secret in the body (client_secret_post, RFC 6749 §2.3.1);
// - client_id alone in the body: a public client (none, RFC 6749 §2.1);
// - client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer and
//   client_assertion (private_key_jwt, RFC 7523 §2.2); the client is the assertion's sub, and a
//   client_id beside it must match.
// Errors: invalid_request when more than one method is used (RFC 6749 §2.3: "MUST NOT use more
// than one authentication method in each request") or the header is malformed;
// invalid_client when there is no client identification at all, and for an assertion that is
// mixed with a secret or Basic, has another type, or names no client.
Result<ClientCredentials> read_client_credentials(const http::HttpRequest& req,
                                                  const FormParams& form);

// Checks credentials against the registered client. An unknown client_id, a wrong secret and a
// method the client did not register all give the same answer, so a caller cannot probe which
// client ids exist: invalid_client "client authentication failed" (the detail says which).
class ClientAuthenticator {
public:
    ClientAuthenticator(ClientStore& clients, const ClientSecretHasher& hasher,
                        ClientAssertionVerifier& assertions)
        : clients_(clients), hasher_(hasher), assertions_(assertions) {}

    // Errors: invalid_client, server_error / temporarily_unavailable (database).
    Result<Client> authenticate(const ClientCredentials& credentials);

    // read_client_credentials, then authenticate.
    Result<Client> authenticate(const http::HttpRequest& req, const FormParams& form);

private:
    ClientStore& clients_;
    const ClientSecretHasher& hasher_;
    ClientAssertionVerifier& assertions_;
};

// A database failure as the OAuth error a client sees: temporarily_unavailable when the
// database cannot be reached, else server_error; the store's message goes to the detail.
Error database_error(const store::Error& error);

}  // namespace idpd::oidc
