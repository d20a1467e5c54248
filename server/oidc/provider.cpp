#include "oidc/provider.h"

#include <spdlog/spdlog.h>

namespace idpd::oidc {

Provider::Provider(Options options, store::Database& db, jose::KeyStore& keys,
                   const ClientSecretHasher& hasher, Clock clock, RandomBytes random,
                   SessionLookup sessions, UserProfileLookup users, LogoutPages logout,
                   ClaimSources claims)
    : options_(std::move(options)),
      claims_(std::move(claims), users),
      keys_(keys),
      clients_(db, options_.client_cache_ttl),
      tokens_(db),
      codes_(db),
      consents_(db),
      session_clients_(db),
      pushed_(db),
      assertion_jtis_(db),
      assertions_(options_, assertion_jtis_, clock),
      subjects_(db, hasher, clock),
      refresh_tokens_(db),
      authenticator_(clients_, hasher, assertions_),
      dpop_(options_.dpop_proof_max_age, db, clock),
      issuer_(options_, keys, tokens_, clock, random),
      refresh_issuer_(options_, refresh_tokens_, clock, random),
      reader_(options_, keys, tokens_, clock),
      client_credentials_(issuer_),
      authorization_code_(options_, keys, codes_, tokens_, issuer_, refresh_issuer_, subjects_,
                          clock, session_clients_, claims_),
      refresh_token_(options_, keys, refresh_tokens_, tokens_, issuer_, refresh_issuer_, clock,
                     users, claims_),
      authorization_(options_, clients_, codes_, pushed_, consents_, sessions, clock, random,
                     claims_),
      token_(authenticator_, dpop_, issuer_base(options_.issuer) + "/token",
             {{"authorization_code",
               [this](const TokenRequest& request) {
                   return authorization_code_.exchange(request);
               }},
              {"client_credentials",
               [this](const TokenRequest& request) {
                   return client_credentials_.exchange(request);
               }},
              {"refresh_token",
               [this](const TokenRequest& request) {
                   return refresh_token_.exchange(request);
               }}}),
      introspection_(options_, authenticator_, reader_, refresh_tokens_, clock, subjects_, claims_),
      revocation_(authenticator_, reader_, tokens_, refresh_tokens_),
      userinfo_(reader_, subjects_, dpop_, issuer_base(options_.issuer) + "/userinfo",
                std::move(users), claims_),
      par_(options_, authenticator_, pushed_, clock, random),
      logout_(options_, keys, clients_, sessions, logout, clock),
      backchannel_(options_, keys, clients_, session_clients_, clock, random),
      registration_(options_, clients_, hasher, client_limits(), clock, random) {
    using http::Method;
    // The one table of endpoints: a route here is listed in discovery under its name, so the
    // metadata cannot claim an endpoint that does not answer.
    endpoints_ = {
        {Method::get, "/authorize", "authorization_endpoint",
         [this](const http::HttpRequest& req) {
             return authorization_.handle(req);
         }},
        // OIDC Core §3.1.2.1: the authorization endpoint MUST support POST too.
        {Method::post, "/authorize", "",
         [this](const http::HttpRequest& req) {
             return authorization_.handle(req);
         }},
        {Method::get, "/jwks", "jwks_uri",
         [this](const http::HttpRequest& req) {
             return jwks(req);
         }},
        {Method::get, "/userinfo", "userinfo_endpoint",
         [this](const http::HttpRequest& req) {
             return userinfo_.handle(req);
         }},
        // OIDC Core §5.3: GET and POST.
        {Method::post, "/userinfo", "",
         [this](const http::HttpRequest& req) {
             return userinfo_.handle(req);
         }},
        {Method::post, "/token", "token_endpoint",
         [this](const http::HttpRequest& req) {
             return token_.handle(req);
         }},
        {Method::post, "/introspect", "introspection_endpoint",
         [this](const http::HttpRequest& req) {
             return introspection_.handle(req);
         }},
        {Method::post, "/revoke", "revocation_endpoint",
         [this](const http::HttpRequest& req) {
             return revocation_.handle(req);
         }},
        {Method::post, "/par", "pushed_authorization_request_endpoint",
         [this](const http::HttpRequest& req) {
             return par_.handle(req);
         }},
    };
    if (logout) {
        // RP-Initiated Logout 1.0 §2: GET and POST.
        endpoints_.push_back(
            {Method::get, "/logout", "end_session_endpoint", [this](const http::HttpRequest& req) {
                 return logout_.handle(req);
             }});
        endpoints_.push_back({Method::post, "/logout", "", [this](const http::HttpRequest& req) {
                                  return logout_.handle(req);
                              }});
    }
    if (options_.registration_enabled) {
        add_registration_endpoints();
    }
    const std::string base = issuer_base(options_.issuer);
    std::vector<std::pair<std::string, std::string>> urls;
    for (const auto& endpoint : endpoints_) {
        if (!endpoint.metadata_name.empty()) {
            urls.emplace_back(endpoint.metadata_name, base + endpoint.path);
        }
    }
    ServerCapabilities capabilities{
        token_.grant_types(),
        {"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
        keys.options().algs,
        {"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "amr", "acr",
         "preferred_username", "name", "updated_at", "email", "email_verified", "phone_number",
         "phone_number_verified", "picture"},
        true,
        DpopVerifier::algs()};
    // The extra scopes and their claims (app/'s claim sources, the account API's scopes).
    for (auto& name : claims_.claim_names()) {
        capabilities.claims.push_back(std::move(name));
    }
    capabilities.extra_scopes = claims_.scopes();
    metadata_ = metadata_document(options_, urls, capabilities);
    metadata_json_ = metadata_.dump();  // the document never changes while we run
}

void Provider::end_grants(std::int64_t user_id, const std::string& client_id) {
    if (auto ended = revoke_user_grants(refresh_tokens_, tokens_, user_id, client_id); !ended) {
        spdlog::error("cannot end the refresh grants of user {}: {}", user_id,
                      ended.error().detail);
    }
}

ClientLimits Provider::client_limits() const {
    ServerCapabilities grants;
    grants.grant_types = token_.grant_types();  // offline_access only with the refresh grant
    grants.extra_scopes = claims_.scopes();
    return ClientLimits{keys_.options().algs, supported_scopes(options_, grants)};
}

void Provider::add_registration_endpoints() {
    using http::Method;
    endpoints_.push_back(
        {Method::post, "/register", "registration_endpoint", [this](const http::HttpRequest& req) {
             return registration_.register_client(req);
         }});
    endpoints_.push_back(
        {Method::get, "/register/:client_id", "", [this](const http::HttpRequest& req) {
             return registration_.read(req);
         }});
    endpoints_.push_back(
        {Method::put, "/register/:client_id", "", [this](const http::HttpRequest& req) {
             return registration_.replace(req);
         }});
    endpoints_.push_back(
        {Method::del, "/register/:client_id", "", [this](const http::HttpRequest& req) {
             return registration_.remove(req);
         }});
}

void Provider::add_routes(http::Router& router) {
    const std::string prefix = issuer_path(options_.issuer);
    auto discovery = [this](const http::HttpRequest&) {
        return metadata_response(metadata_json_, options_.metadata_max_age);
    };
    // OIDC Discovery §4: issuer + /.well-known/openid-configuration. RFC 8414 §3: the well-known
    // segment goes between the host and the issuer's path.
    router.add(http::Method::get, prefix + "/.well-known/openid-configuration", discovery);
    router.add(http::Method::get, "/.well-known/oauth-authorization-server" + prefix, discovery);
    for (const auto& endpoint : endpoints_) {
        router.add(endpoint.method, prefix + endpoint.path, endpoint.handler);
    }
}

http::HttpResponse Provider::jwks(const http::HttpRequest& req) const {
    auto document = keys_.jwks_json();
    if (!document) {
        return error_response(
            req, Error{ErrorCode::temporarily_unavailable, "the signing keys are not available",
                       document.error().detail});
    }
    auto response = http::HttpResponse::json(200, std::move(*document));
    // RFC 7517 §8.5.1 registers application/jwk-set+json.
    response.headers.set("Content-Type", "application/jwk-set+json");
    response.headers.set("Cache-Control",
                         "public, max-age=" + std::to_string(options_.metadata_max_age.count()));
    return response;
}

}  // namespace idpd::oidc
