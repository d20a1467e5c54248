#pragma once

#include <cstdint>
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

// Reads an access token we issued, in either format, for introspection and revocation.
class AccessTokenReader {
public:
    AccessTokenReader(const Options& options, jose::KeyStore& keys, AccessTokenStore& tokens,
                      Clock clock)
        : options_(options), keys_(keys), tokens_(tokens), clock_(std::move(clock)) {}

    // The token if it is active: a JWT whose signature verifies against our published keys,
    // with typ at+jwt, our issuer, exp not passed and a jti not revoked; or an opaque token that
    // is stored, not expired and not revoked. Nullopt for anything else, whatever the reason
    // (RFC 7662 §2.2 reveals no more). Errors: database failures only.
    Result<std::optional<ActiveAccessToken>> read(std::string_view token);

private:
    Result<std::optional<ActiveAccessToken>> read_jwt(std::string_view token, std::int64_t now);

    const Options& options_;
    jose::KeyStore& keys_;
    AccessTokenStore& tokens_;
    Clock clock_;
};

}  // namespace idpd::oidc
