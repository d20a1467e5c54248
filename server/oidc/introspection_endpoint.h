#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/client_auth.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/refresh_token_store.h"
#include "oidc/subject_mapper.h"
#include "oidc/token_claims.h"
#include "oidc/token_query.h"

namespace idpd::oidc {

// POST /introspect (RFC 7662):
// - the caller authenticates as a client (§2.1: the endpoint MUST require authorization);
// - `token` is required; token_type_hint is optional and ignored (§2.1 lets the server ignore
//   it): access tokens and refresh tokens are both looked up;
// - an active access token: {"active":true, scope, client_id, token_type (Bearer or DPoP),
//   exp, iat, sub, aud, iss, jti, cnf.jkt when DPoP-bound (RFC 9449 §6.2)}, and for a user's
//   token the claims of its extra scopes and organization (oidc/token_claims.h), as they are now;
// - an active refresh token (unused, unexpired, its family not revoked): {"active":true, scope,
//   client_id, exp, iat, sub, iss, cnf.jkt when bound}; anything else, {"active":false} and
//   nothing more (§2.2);
// - a confidential client (a resource server) may introspect any client's tokens; a public
//   client only its own (node-oidc-provider's default policy), else it sees active:false;
// - an API key (prefix "idk_") that is no token of ours: whatever the hook app/ sets answers
//   (active, scope, sub, token_type "api_key", …), so oidc/ does not depend on the key store.
class IntrospectionEndpoint {
public:
    // The introspection body of an active API key, nullopt for anything else. Errors:
    // temporarily_unavailable when the database failed.
    using ApiKeyIntrospector =
        std::function<Result<std::optional<nlohmann::json>>(std::string_view token)>;

    IntrospectionEndpoint(const Options& options, ClientAuthenticator& authenticator,
                          AccessTokenReader& reader, RefreshTokenStore& refresh_tokens, Clock clock,
                          SubjectMapper& subjects, const TokenClaims& claims)
        : options_(options),
          authenticator_(authenticator),
          reader_(reader),
          refresh_tokens_(refresh_tokens),
          clock_(std::move(clock)),
          subjects_(subjects),
          claims_(claims) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

    // Set once by app/ before serving.
    void set_api_keys(ApiKeyIntrospector introspector) { api_keys_ = std::move(introspector); }

private:
    http::HttpResponse refresh_body(const TokenQuery& query) const;
    // The extra scopes' claims of a user's access token (none for client credentials, or for
    // an organization the user has left). Errors: database failures.
    Result<nlohmann::json> extra_claims(const ActiveAccessToken& token) const;

    const Options& options_;
    ClientAuthenticator& authenticator_;
    AccessTokenReader& reader_;
    RefreshTokenStore& refresh_tokens_;
    Clock clock_;
    ApiKeyIntrospector api_keys_;
    SubjectMapper& subjects_;
    const TokenClaims& claims_;
};

}  // namespace idpd::oidc
