#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace idpd::oidc {

// How the user behind a token authenticated (OIDC Core §2 auth_time, acr; RFC 8176 amr);
// empty for a token without a user.
struct UserAuthentication {
    std::int64_t auth_time = 0;
    std::string acr{};
    std::string amr{};  // space-separated
};

// An opaque access token as stored: by the SHA-256 of the token, never the token itself.
struct StoredAccessToken {
    std::string client_id;
    std::string subject;
    std::string scope;  // space-separated
    std::string audience;
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
    bool revoked = false;
    std::optional<std::string> jkt;  // the DPoP key it is bound to (RFC 9449 §6), if any
    UserAuthentication authn{};      // schema 0032
};

// Opaque access tokens (table access_tokens) and the revocation list of JWT access tokens by
// jti (table revoked_jwt_access_tokens), schema 0003.
class AccessTokenStore {
public:
    explicit AccessTokenStore(store::Database& db) : db_(db) {}

    // Stores `token` under the SHA-256 of `token_value`. Errors: conflict (a repeated token:
    // with 256 random bits, a broken CSPRNG), and the database's.
    store::Result<void> add(std::string_view token_value, const StoredAccessToken& token);

    // The token whose value is `token_value`, revoked or expired included. Errors: not_found.
    store::Result<StoredAccessToken> find(std::string_view token_value);

    // Marks the token revoked. Errors: not_found.
    store::Result<void> revoke(std::string_view token_value);

    // Marks the token whose SHA-256 is `token_hash` revoked. Idempotent.
    store::Result<void> revoke_hash(const std::string& token_hash);

    // Records that the JWT with this jti is revoked until `expires_at`. Idempotent.
    store::Result<void> revoke_jti(const std::string& jti, const std::string& client_id,
                                   std::int64_t expires_at);

    // Whether a JWT with this jti was revoked.
    store::Result<bool> is_jti_revoked(const std::string& jti);

    // Deletes expired tokens and expired revocation entries; returns how many rows went.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

// Sets auth_time, acr and amr (an array) in `claims` for those `authn` has: for JWT access
// tokens (RFC 9068 §2.2.1), introspection (RFC 7662 §2.2 allows any claim) and userinfo.
void add_authentication_claims(nlohmann::json& claims, const UserAuthentication& authn);

// SHA-256 of `value`, 32 raw bytes.
std::string sha256(std::string_view value);

}  // namespace idpd::oidc
