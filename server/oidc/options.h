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
    // Scopes advertised in discovery (RFC 8414 §2 scopes_supported, RECOMMENDED). Empty (the
    // default): the ones the OP gives a meaning to, openid, profile and email
    // (and offline_access while the refresh_token grant is served).
    std::vector<std::string> scopes_supported;
    // Lifetime of an authorization code (RFC 6749 §4.1.2: "MUST expire shortly"). Default: 60
    // seconds, as node-oidc-provider uses. Config: oidc.authorization_code_ttl.
    std::chrono::seconds authorization_code_ttl{60};
    // Lifetime of an ID token. Default: 10 minutes; an RP reads it once, at sign-in. Must not
    // exceed the key store's max_token_lifetime. Config: oidc.id_token_ttl.
    std::chrono::seconds id_token_ttl{600};
    // Cache-Control max-age of /jwks and the discovery documents. Default: 5 minutes; keep it
    // well below keys.publish_ahead so verifiers see a next key before it signs.
    std::chrono::seconds metadata_max_age{300};
    // How long a client read from the database is remembered (oidc/client_cache.h); 0: read
    // it on every request. Default 5 s, like keys.reload_interval. Config: oidc.client_cache_ttl.
    std::chrono::milliseconds client_cache_ttl{5000};
    // Lifetime of a pushed authorization request's request_uri (RFC 9126 §2.2): the client
    // sends the browser to /authorize with it at once. Default: 60 seconds, as
    // node-oidc-provider uses. Config: oidc.par_ttl.
    std::chrono::seconds par_ttl{60};
    // How long a pushed request stays usable once /authorize has sent the browser to sign in
    // with it (a sign-in, or a sign-up, takes longer than par_ttl). Default: 10 minutes.
    std::chrono::seconds par_interaction_ttl{600};
    // Back-Channel Logout 1.0: delivery attempts per logout token, and the wait before the
    // first retry (doubled for each further one). Defaults: 3 attempts, 2 seconds.
    int backchannel_logout_attempts = 3;
    std::chrono::milliseconds backchannel_logout_retry_delay{2000};
    // Lifetime of a logout token (§2.4: "SHOULD be short"). Default: 2 minutes.
    std::chrono::seconds logout_token_ttl{120};
    // Dynamic client registration (RFC 7591, RFC 7592) at /register. Default: off; when on,
    // registration_initial_access_token (a secret) must be set and every registration request
    // must carry it as a Bearer token. Config: registration.enabled, .initial_access_token.
    bool registration_enabled = false;
    std::string registration_initial_access_token;
    // A refresh token unused this long expires (each rotation starts a new one). Default: 14
    // days. Config: oidc.refresh_token_idle_ttl.
    std::chrono::seconds refresh_token_idle_ttl{std::chrono::days(14)};
    // No refresh token of a grant outlives this, counted from the code exchange; then the user
    // signs in again. Default: 30 days. Config: oidc.refresh_token_absolute_ttl.
    std::chrono::seconds refresh_token_absolute_ttl{std::chrono::days(30)};
    // How long after a rotation the old refresh token may still be used once more without
    // revoking the grant: two tabs or a retried request refreshing at the same moment. Default:
    // 2 seconds. Config: oidc.refresh_token_reuse_grace (0s: strict reuse detection).
    std::chrono::seconds refresh_token_reuse_grace{2};
    // How old a DPoP proof's iat may be (RFC 9449 §11.1), and thus how long its jti is kept for
    // replay detection. Default: 60 seconds. Config: oidc.dpop_proof_max_age.
    std::chrono::seconds dpop_proof_max_age{60};
    // A request that requires the MFA acr for a user without two-step verification: false
    // (the default) answers unmet_authentication_requirements; true sends the user to set it
    // up first. Config: totp.mfa_unavailable ("error" | "enroll").
    bool offer_mfa_enrollment = false;
};

}  // namespace idpd::oidc
