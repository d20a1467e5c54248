#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oidc/authorization_code_store.h"
#include "store/database.h"

namespace idpd::oidc {

// One grant of offline access (RFC 6749 §6, OIDC Core §11): what the code exchange granted,
// shared by every refresh token rotated from it.
struct RefreshFamily {
    std::string family_id;
    std::string client_id;
    std::int64_t user_id = 0;  // the local user
    std::string subject;       // the sub this client sees (public or pairwise)
    std::string sid;
    std::string scope;  // space-separated; a refresh may narrow what it asks, never this
    std::int64_t auth_time = 0;
    std::string amr;                 // carried into the ID tokens of later refreshes
    std::string acr;                 // likewise (the level the code was issued at)
    std::optional<std::string> jkt;  // DPoP key a public client's family is bound to
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;  // absolute expiry
    bool revoked = false;
    std::string id_token_claims{};  // the code's claims parameter, for refreshed ID tokens
};

// A refresh token with its family.
struct RefreshToken {
    RefreshFamily family;
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;  // idle expiry, never after the family's
    std::optional<std::int64_t> used_at;
};

// A token to add to a family, with the access token issued beside it (so revoking the family
// revokes that too).
struct NewRefreshToken {
    std::string value;
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
    IssuedFromCode access_token;
};

// How a rotation ended.
enum class Rotation {
    rotated,       // the token was unused; it is now used and `next` joined the family
    within_grace,  // used moments ago (the grace window): `next` joined the family too
    reused,        // used before the grace window: the family is now revoked
    dead,          // the family was revoked or has expired: nothing changed
};

// Refresh tokens and their families (tables refresh_tokens, refresh_token_families, schema
// 0009), stored by the SHA-256 of the token only. Errors are store::Error.
class RefreshTokenStore {
public:
    explicit RefreshTokenStore(store::Database& db) : db_(db) {}

    // Creates `family` with its first token, in one transaction. Errors: conflict.
    store::Result<void> start_family(const RefreshFamily& family, const NewRefreshToken& first);

    // The token whose value is `token_value`, used, expired or revoked included.
    // Errors: not_found.
    store::Result<RefreshToken> find(std::string_view token_value);

    // Spends `token_value` (of `family_id`) at `now` and adds `next`, in one transaction that
    // locks the family row, so rotations of one family and its revocation serialize. A token
    // used within `grace_seconds` before `now` still yields a successor (within_grace); used
    // earlier, the family is revoked (reused) and the caller revokes its access tokens.
    store::Result<Rotation> rotate(const std::string& family_id, std::string_view token_value,
                                   const NewRefreshToken& next, std::int64_t now,
                                   std::int64_t grace_seconds);

    // Marks the family revoked and returns the access tokens issued in it. Idempotent.
    store::Result<std::vector<IssuedFromCode>> revoke_family(const std::string& family_id);

    // The family in which `access_token` was issued, if any (a replayed code's family).
    store::Result<std::optional<std::string>> family_of(const IssuedFromCode& access_token);

    // The unrevoked families of `user_id`, of one client or (client_id empty) of all: what a
    // withdrawn consent or a new password ends. Pairs of (family_id, client_id).
    store::Result<std::vector<std::pair<std::string, std::string>>> live_families_of(
        std::int64_t user_id, const std::string& client_id);

    // The access tokens issued in the family, for revocation.
    store::Result<std::vector<IssuedFromCode>> access_tokens_of(const std::string& family_id);

    // Deletes tokens past their idle expiry and families past their absolute one.
    store::Result<std::uint64_t> delete_expired(std::int64_t now);

private:
    store::Database& db_;
};

}  // namespace idpd::oidc
