#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jose/key_store.h"
#include "oidc/access_token_store.h"
#include "oidc/client.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

struct IssuedAccessToken {
    std::string value;
    std::chrono::seconds expires_in{0};
    std::string scope;  // space-separated
    std::string jti;    // a JWT's jti; empty for an opaque token
    std::int64_t expires_at = 0;
    std::string token_type = "Bearer";  // "DPoP" when bound to a key (RFC 9449 §5)
};

// Mints access tokens in the form the client registered:
// - jwt: RFC 9068 (typ at+jwt; iss, sub, aud, client_id, scope, iat, exp, jti), signed with the
//   active key of the client's access_token_alg; verifiable offline against /jwks;
// - opaque: 256 random bits, base64url; only its SHA-256 is stored.
// With a DPoP key thumbprint the token is bound to it (RFC 9449 §6): cnf.jkt in the JWT, the jkt
// column for an opaque token, and token_type DPoP.
class AccessTokenIssuer {
public:
    AccessTokenIssuer(const Options& options, jose::KeyStore& keys, AccessTokenStore& tokens,
                      Clock clock, RandomBytes random)
        : options_(options),
          keys_(keys),
          tokens_(tokens),
          clock_(std::move(clock)),
          random_(std::move(random)) {}

    // Errors: server_error (no signing key, signing failed), temporarily_unavailable (database).
    // `authn`: how the user authenticated, when there is a user: a JWT carries auth_time, acr
    // and amr (RFC 9068 §2.2.1), an opaque token keeps them for introspection and userinfo.
    // `extra`: claims a JWT carries beyond RFC 9068's (oidc/token_claims.h), never replacing
    // one of those; an opaque token has none (introspection computes them when asked).
    Result<IssuedAccessToken> issue(const Client& client, const std::string& subject,
                                    const std::vector<std::string>& scopes,
                                    const std::optional<std::string>& jkt = std::nullopt,
                                    const UserAuthentication* authn = nullptr,
                                    const nlohmann::json* extra = nullptr);

private:
    const Options& options_;
    jose::KeyStore& keys_;
    AccessTokenStore& tokens_;
    Clock clock_;
    RandomBytes random_;
};

}  // namespace idpd::oidc
