#pragma once

#include <optional>
#include <string>

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/client.h"
#include "oidc/client_auth.h"
#include "oidc/errors.h"

namespace idpd::oidc {

// What introspection (RFC 7662 §2.1) and revocation (RFC 7009 §2.1) both read first.
struct TokenQuery {
    Client client;                           // the authenticated caller
    std::string token;                       // the `token` parameter, as sent
    std::optional<ActiveAccessToken> found;  // nullopt: unknown, expired or revoked
};

// Parses the form (repeated parameters refused), authenticates the client, requires `token`
// and looks it up. Errors: the form's and the authenticator's errors, invalid_request when
// `token` is missing, and the reader's (temporarily_unavailable when the database is down).
Result<TokenQuery> read_token_query(const http::HttpRequest& req,
                                    ClientAuthenticator& authenticator, AccessTokenReader& reader);

}  // namespace idpd::oidc
