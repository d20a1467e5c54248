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
#include "oidc/backchannel_logout.h"
#include "oidc/client_assertion.h"
#include "oidc/client_assertion_jti_store.h"
#include "oidc/client_auth.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/discovery.h"
#include "oidc/dpop.h"
#include "oidc/introspection_endpoint.h"
#include "oidc/logout_endpoint.h"
#include "oidc/options.h"
#include "oidc/par_endpoint.h"
#include "oidc/pushed_request_store.h"
#include "oidc/random.h"
#include "oidc/refresh_token_store.h"
#include "oidc/registration_endpoint.h"
#include "oidc/revocation_endpoint.h"
#include "oidc/session_client_store.h"
#include "oidc/subject_mapper.h"
#include "oidc/token/access_token_issuer.h"
#include "oidc/token/authorization_code_grant.h"
#include "oidc/token/client_credentials_grant.h"
#include "oidc/token/refresh_token_grant.h"
#include "oidc/token/refresh_token_issuer.h"
#include "oidc/token/token_endpoint.h"
#include "oidc/token_claims.h"
#include "oidc/userinfo_endpoint.h"

namespace idpd::oidc {

// The OP's endpoints over their stores, wired once. app/ builds one per process and calls
// add_routes.
class Provider {
public:
    // `db`, `keys` and `hasher` must outlive the provider. `sessions` finds the browser's
    // sign-in for /authorize; without it every browser counts as signed out. `users` gives
    // /userinfo its claims, and ends refresh tokens of users gone or disabled; without it
    // /userinfo knows no user. `logout` renders /logout's pages; without it there is no
    // /logout (and discovery names none). `claims`: the extra scopes app/ adds (plan, billing,
    // orgs…), their claim sources and the organization look-up behind org:<id> tokens;
    // advertised in discovery.
    Provider(Options options, store::Database& db, jose::KeyStore& keys,
             const ClientSecretHasher& hasher, Clock clock, RandomBytes random,
             SessionLookup sessions = {}, UserProfileLookup users = {}, LogoutPages logout = {},
             ClaimSources claims = {});

    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;

    // Registers every endpoint under the issuer's path: the discovery documents, /jwks,
    // /authorize and /userinfo (GET and POST), /token, /introspect, /revoke, /par, /logout
    // (GET and POST) when its pages were given, and /register when registration is enabled.
    // Throws std::invalid_argument (from Router) on a clash.
    void add_routes(http::Router& router);

    // A browser session ended (sign-out, /logout, revoked, replaced by a new sign-in): the
    // clients issued tokens in it get a back-channel logout token. Returns at once.
    void session_ended(const std::string& sid) { backchannel_.session_ended(sid); }

    // Ends the refresh grants of `user_id` with `client_id` (empty: every client) and the access
    // tokens issued in them: a withdrawn consent, a new password. Logs a failure.
    void end_grants(std::int64_t user_id, const std::string& client_id);

    // Renders the /authorize refusals a person sees (see AuthorizationEndpoint). Set once,
    // before serving.
    void set_refusal_page(RefusalPage page) { authorization_.set_refusal_page(std::move(page)); }

    // What /introspect answers for an API key (IntrospectionEndpoint::ApiKeyIntrospector).
    void set_api_key_introspection(IntrospectionEndpoint::ApiKeyIntrospector introspector) {
        introspection_.set_api_keys(std::move(introspector));
    }

    // The metadata document (both discovery paths serve it).
    const nlohmann::json& metadata() const { return metadata_; }

    const Options& options() const { return options_; }

    // For the account API (api/), which reads the same access tokens and subjects.
    AccessTokenReader& access_tokens() { return reader_; }

    SubjectMapper& subjects() { return subjects_; }

    // What validate_client allows a client registered here: the key store's algs, and for
    // dynamic registration the advertised scopes.
    ClientLimits client_limits() const;

private:
    struct Endpoint {
        http::Method method;
        std::string path;           // under the issuer's path
        std::string metadata_name;  // the discovery member naming its URL, or empty
        http::Handler handler;
    };

    http::HttpResponse jwks(const http::HttpRequest& req) const;
    // RFC 7591 POST /register and RFC 7592 GET/PUT/DELETE /register/:client_id.
    void add_registration_endpoints();

    Options options_;
    TokenClaims claims_;
    jose::KeyStore& keys_;
    ClientStore clients_;
    AccessTokenStore tokens_;
    AuthorizationCodeStore codes_;
    auth::ConsentStore consents_;
    SessionClientStore session_clients_;
    PushedRequestStore pushed_;
    ClientAssertionJtiStore assertion_jtis_;
    ClientAssertionVerifier assertions_;
    SubjectMapper subjects_;
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
    ParEndpoint par_;
    LogoutEndpoint logout_;
    BackchannelLogout backchannel_;
    RegistrationEndpoint registration_;
    std::vector<Endpoint> endpoints_;
    nlohmann::json metadata_;
    std::string metadata_json_;  // metadata_, serialised once
};

}  // namespace idpd::oidc
