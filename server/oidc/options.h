#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace idpd::oidc {

// The protocol settings of the OP. Defaults are the documented ones (config/idpd.toml [oidc]).
struct Options {
    // The issuer identifier (OIDC Discovery §3, RFC 8414 §2): https, no query or fragment; its
    // path, if any, prefixes every endpoint. Default: http://localhost:8080 (development).
    std::string issuer = "http://localhost:8080";
    // Lifetime of an access token. Default: 10 minutes. Must not exceed the key store's
    // max_token_lifetime, or a token could outlive the key that verifies it.
    std::chrono::seconds access_token_ttl{600};
    // The "aud" of access tokens when a request names no resource (RFC 9068 §3). Empty (the
    // default): the issuer itself.
    std::string access_token_audience;
    // Scopes advertised in discovery (RFC 8414 §2 scopes_supported, RECOMMENDED). Default: none
    // advertised, since client scopes are free-form until the scope registry lands.
    std::vector<std::string> scopes_supported;
    // Cache-Control max-age of /jwks and the discovery documents. Default: 5 minutes; keep it
    // well below keys.publish_ahead so verifiers see a next key before it signs.
    std::chrono::seconds metadata_max_age{300};
};

}  // namespace idpd::oidc
