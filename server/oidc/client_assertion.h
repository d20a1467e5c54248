#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/client.h"
#include "oidc/client_assertion_jti_store.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

// RFC 7523 §2.2: the client_assertion_type of a JWT client assertion.
inline constexpr std::string_view jwt_bearer_assertion_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// The client an assertion claims to come from (its "sub", which must equal "iss"), read WITHOUT
// verifying anything: only to find the client whose keys then verify it. Nullopt when the
// assertion is not a JWS with such claims.
std::optional<std::string> assertion_client_id(std::string_view assertion);

// Checks private_key_jwt assertions (RFC 7523 §3, OIDC Core §9):
// - signed by a key of the client's registered jwks, RS256, PS256, ES256 or EdDSA only (our
//   jose has no HMAC and no "none");
// - iss = sub = client_id; aud holds the issuer, the token endpoint URL or the URL of the
//   endpoint the request was sent to (/introspect, /revoke, ... share the authenticator);
// - exp required and at most `max_lifetime` ahead (a long-lived assertion is a bearer
//   credential in disguise); nbf and iat with one minute of leeway;
// - jti required and accepted once, across processes (client_assertion_jtis).
class ClientAssertionVerifier {
public:
    // Five minutes: enough for clock skew and a retry, short enough to keep the jti table small.
    static constexpr std::chrono::seconds max_lifetime{300};
    static constexpr std::chrono::seconds leeway{60};

    ClientAssertionVerifier(const Options& options, ClientAssertionJtiStore& jtis, Clock clock)
        : options_(options), jtis_(jtis), clock_(std::move(clock)) {}

    // Verifies `assertion` for `client`, sent to `endpoint_path` (the request's path). Errors:
    // invalid_client "client authentication failed" (the detail says why), and database errors.
    Result<void> verify(const Client& client, std::string_view assertion,
                        std::string_view endpoint_path);

    // The audiences accepted for a request to `endpoint_path`.
    std::vector<std::string> audiences(std::string_view endpoint_path) const;

private:
    const Options& options_;
    ClientAssertionJtiStore& jtis_;
    Clock clock_;
};

}  // namespace idpd::oidc
