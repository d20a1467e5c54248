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
};

// The metadata document (OIDC Discovery 1.0 §3, RFC 8414 §2), served at both
// /.well-known/openid-configuration and /.well-known/oauth-authorization-server. It states only
// what this build serves: `endpoints` are the (metadata name, absolute URL) pairs of the routes
// actually registered, so an endpoint appears here exactly when it exists.
//
// Not listed yet, on purpose: authorization_endpoint and userinfo_endpoint (the browser flows
// come later) and with them response_types_supported and subject_types_supported, which OIDC
// Discovery requires of a full OP; they join when the authorization endpoint does.
nlohmann::json metadata_document(const Options& options,
                                 const std::vector<std::pair<std::string, std::string>>& endpoints,
                                 const ServerCapabilities& capabilities);

// The document as a response: application/json, Cache-Control public with max-age.
http::HttpResponse metadata_response(std::string document, std::chrono::seconds max_age);

// The path part of the issuer ("" for "https://id.example.com", "/tenant" for
// "https://id.example.com/tenant/"), which prefixes every endpoint path.
std::string issuer_path(const std::string& issuer);

// The issuer without a trailing '/'.
std::string issuer_base(const std::string& issuer);

}  // namespace idpd::oidc
