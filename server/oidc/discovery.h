#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/request.h"
#include "jose/alg.h"
#include "oidc/options.h"

namespace idpd::oidc {

// What the metadata document states beyond the endpoint URLs.
struct ServerCapabilities {
    std::vector<std::string> grant_types;
    std::vector<std::string> client_auth_methods;  // token, introspection, revocation
    std::vector<jose::Alg> signing_algs;           // the algs the key store holds keys for
    std::vector<std::string> claims;               // the claims ID tokens and userinfo carry
    // Back-Channel Logout 1.0 §2.1: logout tokens are sent, with sid.
    bool backchannel_logout = false;
    std::vector<std::string> dpop_algs;  // what DPoP proofs may be signed with
    // Scopes app/ adds (oidc/claim_source.h), advertised after OIDC's own by default.
    std::vector<std::string> extra_scopes{};
};

// The metadata document (OIDC Discovery 1.0 §3, RFC 8414 §2), served at both
// /.well-known/openid-configuration and /.well-known/oauth-authorization-server. It states only
// what this build serves: `endpoints` are the (metadata name, absolute URL) pairs of the routes
// actually registered, so an endpoint appears here exactly when it exists.
//
// With an authorization_endpoint the document also states response_types_supported,
// response_modes_supported, code_challenge_methods_supported, subject_types_supported,
// claims_supported and authorization_response_iss_parameter_supported (RFC 9207 §3). With
// private_key_jwt among the auth methods, *_endpoint_auth_signing_alg_values_supported lists
// the algs an assertion may use.
nlohmann::json metadata_document(const Options& options,
                                 const std::vector<std::pair<std::string, std::string>>& endpoints,
                                 const ServerCapabilities& capabilities);

// The document as a response: application/json, Cache-Control public with max-age.
http::HttpResponse metadata_response(std::string document, std::chrono::seconds max_age);

// The scopes advertised and offered to dynamically registered clients: options.scopes_supported,
// or the ones the OP gives a meaning to (openid, profile, email, offline_access with the refresh
// grant, and the extra scopes app/ added).
std::vector<std::string> supported_scopes(const Options& options,
                                          const ServerCapabilities& capabilities);

// The path part of the issuer ("" for "https://id.example.com", "/tenant" for
// "https://id.example.com/tenant/"), which prefixes every endpoint path.
std::string issuer_path(const std::string& issuer);

// The issuer without a trailing '/'.
std::string issuer_base(const std::string& issuer);

}  // namespace idpd::oidc
