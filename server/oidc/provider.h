#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "jose/key_store.h"
#include "oidc/access_token_reader.h"
#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"
#include "oidc/authorize/authorization_endpoint.h"
#include "oidc/authorize/browser_session.h"
#include "oidc/client_auth.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/discovery.h"
#include "oidc/dpop.h"
#include "oidc/introspection_endpoint.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/refresh_token_store.h"
#include "oidc/revocation_endpoint.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/authorization_code_grant.h"
#include "oidc/token/client_credentials_grant.h"
#include "oidc/token/refresh_token_grant.h"
#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token/token_endpoint.h"
#include "oidc/userinfo_endpoint.h"

namespace idpd::oidc {

// The OP's endpoints over their stores, wired once. app/ builds one per process and calls
// add_routes.
class Provider {
public:
    // `db`, `keys` and `hasher` must outlive the provider. `sessions` finds the browser's
    // sign-in for /authorize; without it every browser counts as signed out. `users` gives
    // /userinfo its claims, and ends refresh tokens of users gone or disabled; without it
    // /userinfo knows no user.
    Provider(Options options, store::Database& db, jose::KeyStore& keys,
             const ClientSecretHasher& hasher, Clock clock, RandomBytes random,
             SessionLookup sessions = {}, UserProfileLookup users = {});

    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;

    // Registers every endpoint under the issuer's path: the discovery documents, /jwks,
    // /authorize and /userinfo (GET and POST), /token, /introspect, /revoke. Throws
    // std::invalid_argument (from Router) on a clash.
    void add_routes(http::Router& router);

    // The metadata document (both discovery paths serve it).
    const nlohmann::json& metadata() const { return metadata_; }

    const Options& options() const { return options_; }

private:
    struct Endpoint {
        http::Method method;
        std::string path;           // under the issuer's path
        std::string metadata_name;  // the discovery member naming its URL, or empty
        http::Handler handler;
    };

    http::HttpResponse jwks(const http::HttpRequest& req) const;

    Options options_;
    jose::KeyStore& keys_;
    ClientStore clients_;
    AccessTokenStore tokens_;
    AuthorizationCodeStore codes_;
    RefreshTokenStore refresh_tokens_;
    ClientAuthenticator authenticator_;
    DpopVerifier dpop_;
    AccessTokenIssuer issuer_;
    RefreshTokenIssuer refresh_issuer_;
    AccessTokenReader reader_;
    ClientCredentialsGrant client_credentials_;
    AuthorizationCodeGrant authorization_code_;
    RefreshTokenGrant refresh_token_;
    AuthorizationEndpoint authorization_;
    TokenEndpoint token_;
    IntrospectionEndpoint introspection_;
    RevocationEndpoint revocation_;
    UserinfoEndpoint userinfo_;
    std::vector<Endpoint> endpoints_;
    nlohmann::json metadata_;
    std::string metadata_json_;  // metadata_, serialised once
};

}  // namespace idpd::oidc
