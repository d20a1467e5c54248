#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "jose/key_store.h"
#include "oidc/access_token_reader.h"
#include "oidc/access_token_store.h"
#include "oidc/client_auth.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/discovery.h"
#include "oidc/introspection_endpoint.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/revocation_endpoint.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/client_credentials_grant.h"
#include "oidc/token/token_endpoint.h"

namespace idpd::oidc {

// The OP's endpoints over their stores, wired once. app/ builds one per process and calls
// add_routes.
class Provider {
public:
    // `db`, `keys` and `hasher` must outlive the provider.
    Provider(Options options, store::Database& db, jose::KeyStore& keys,
             const ClientSecretHasher& hasher, Clock clock, RandomBytes random);

    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;

    // Registers every endpoint under the issuer's path: the discovery documents, /jwks,
    // /token, /introspect, /revoke. Throws std::invalid_argument (from Router) on a clash.
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
    ClientAuthenticator authenticator_;
    AccessTokenIssuer issuer_;
    AccessTokenReader reader_;
    ClientCredentialsGrant client_credentials_;
    TokenEndpoint token_;
    IntrospectionEndpoint introspection_;
    RevocationEndpoint revocation_;
    std::vector<Endpoint> endpoints_;
    nlohmann::json metadata_;
    std::string metadata_json_;  // metadata_, serialised once
};

}  // namespace idpd::oidc
