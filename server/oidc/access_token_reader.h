#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jose/key_store.h"
#include "oidc/access_token_store.h"
#include "oidc/client.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

class VerifiedTokenCache;

// An access token that is valid now.
struct ActiveAccessToken {
    AccessTokenFormat format = AccessTokenFormat::jwt;
    std::string client_id;
    std::string subject;
    std::string scope;
    nlohmann::json audience;  // a string, or an array of strings
    std::string jti;          // JWT only
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
    std::string jkt;             // the DPoP key it is bound to (cnf.jkt); empty for a Bearer token
    UserAuthentication authn{};  // empty for a token without a user
};

// Reads an access token we issued, in either format, for introspection, revocation, /userinfo and
// the account API. JWTs verified once are remembered (VerifiedTokenCache) until they expire.
class AccessTokenReader {
public:
    AccessTokenReader(const Options& options, jose::KeyStore& keys, AccessTokenStore& tokens,
                      Clock clock);
    ~AccessTokenReader();
    AccessTokenReader(const AccessTokenReader&) = delete;
    AccessTokenReader& operator=(const AccessTokenReader&) = delete;

    // The token if it is active: a JWT whose signature verifies against our published keys,
    // with typ at+jwt, our issuer, exp not passed and a jti not revoked; or an opaque token that
    // is stored, not expired and not revoked. Nullopt for anything else, whatever the reason
    // (RFC 7662 §2.2 reveals no more). Errors: database failures only.
    Result<std::optional<ActiveAccessToken>> read(std::string_view token);

private:
    Result<std::optional<ActiveAccessToken>> read_jwt(std::string_view token, std::int64_t now);
    // The token's claims when its signature and claims check out against `keys` (and then
    // remembered in verified_); nullopt otherwise. Revocation is the caller's.
    std::optional<ActiveAccessToken> verify_jwt(std::string_view token, std::int64_t now,
                                                const jose::KeySet& keys);

    const Options& options_;
    jose::KeyStore& keys_;
    AccessTokenStore& tokens_;
    Clock clock_;
    std::unique_ptr<VerifiedTokenCache> verified_;
};

}  // namespace idpd::oidc
