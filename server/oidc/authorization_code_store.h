#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace idpd::oidc {

// What an authorization code stands for (RFC 6749 §4.1.2), as /authorize grants it.
struct AuthorizationCode {
    std::string client_id;
    std::string redirect_uri;
    std::string scope;  // space-separated
    std::optional<std::string> nonce;
    std::string code_challenge;  // S256 (RFC 7636 §4.2)
    std::int64_t user_id = 0;
    std::string sid;
    std::int64_t auth_time = 0;
    std::string amr;  // RFC 8176 methods, space-separated
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> used_at;
    std::string acr{};  // the level of the session when the code was issued (schema 0030)
    // The standard claims the claims parameter asked for in the ID token, space-separated
    // (OIDC Core §5.5; schema 0037).
    std::string id_token_claims{};
};

// The access token a redeemed code produced, so a replay can revoke it: the SHA-256 of an
// opaque token, or the jti of a JWT.
struct IssuedFromCode {
    std::optional<std::string> access_token_hash;
    std::optional<std::string> access_token_jti;
    std::int64_t expires_at = 0;
};

// Authorization codes (table authorization_codes, schema 0006), stored by the SHA-256 of the
// code only. Errors are store::Error: not_found, conflict, and the database's own.
class AuthorizationCodeStore {
public:
    explicit AuthorizationCodeStore(store::Database& db) : db_(db) {}

    // Stores `code` under SHA-256(`code_value`). Errors: conflict (a repeated code).
    store::Result<void> add(std::string_view code_value, const AuthorizationCode& code);

    // The code whose value is `code_value`, used or expired included. Errors: not_found.
    store::Result<AuthorizationCode> find(std::string_view code_value);

    // Marks the code used at `now` if nobody has yet, in one UPDATE: true for the one caller
    // that did, false for every other (already used, or a concurrent redemption won).
    store::Result<bool> consume(std::string_view code_value, std::int64_t now);

    // Records the access token issued from the code.
    store::Result<void> record_issued(std::string_view code_value, const IssuedFromCode& issued);

    // The access token recorded for the code, if any. Errors: not_found (no such code).
    store::Result<IssuedFromCode> issued(std::string_view code_value);

    // Deletes codes that expired before `now`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

}  // namespace idpd::oidc
