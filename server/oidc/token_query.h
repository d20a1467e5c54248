#pragma once

#include <optional>
#include <string>

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/client.h"
#include "oidc/client_auth.h"
#include "oidc/errors.h"
#include "oidc/refresh_token_store.h"

namespace idpd::oidc {

// What introspection (RFC 7662 §2.1) and revocation (RFC 7009 §2.1) both read first.
struct TokenQuery {
    Client client;                           // the authenticated caller
    std::string token;                       // the `token` parameter, as sent
    std::optional<ActiveAccessToken> found;  // nullopt: unknown, expired or revoked
    // When `token` is not an active access token: the refresh token it is, in any state.
    std::optional<RefreshToken> refresh;
};

// Parses the form (repeated parameters refused), authenticates the client, requires `token`
// and looks it up, as an access token and then as a refresh token (token_type_hint only
// saves a lookup, RFC 7009 §2.1, so it is ignored). Errors: the form's and the authenticator's
// errors, invalid_request when `token` is missing, and the reader's (temporarily_unavailable when
// the database is down).
Result<TokenQuery> read_token_query(const http::HttpRequest& req,
                                    ClientAuthenticator& authenticator, AccessTokenReader& reader,
                                    RefreshTokenStore& refresh_tokens);

}  // namespace idpd::oidc
