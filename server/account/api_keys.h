#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose/key_encryption.h"
#include "jose/keyed_hash.h"
#include "store/database.h"

namespace idpd::account {

// The scopes an API key may carry: api/caller.h's account API scopes a person grants
// (quota:report is for relying services, never for a person's key).
inline constexpr std::array<std::string_view, 5> api_key_scopes{"account", "billing", "billing:pay",
                                                                "orgs", "orgs:manage"};

inline constexpr std::string_view api_key_secret_prefix = "idk_";

// API key secrets are stored as HMAC-SHA-256 under a key derived from the master key
// (jose/keyed_hash.h, label "idpd api key v1"), like client secrets (oidc/client_secret.h): the
// secrets are 256-bit random values, so a keyed fast hash is enough and a stolen database
// without the master key tests nothing.
class ApiKeyHasher {
public:
    explicit ApiKeyHasher(const jose::MasterKey& master);

    std::string hash(std::string_view secret) const;  // 32 bytes

private:
    jose::KeyedHash hash_;
};

// One key as stored (never its secret).
struct ApiKey {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string name;
    std::string hint;  // the secret's first 8 characters, to recognise it
    std::vector<std::string> scopes;
    std::optional<std::int64_t> org_id;
    std::chrono::sys_seconds created_at{};
    std::optional<std::chrono::sys_seconds> expires_at;
    std::optional<std::chrono::sys_seconds> revoked_at;
    std::optional<std::chrono::sys_seconds> last_used_at;
    std::string last_used_ip;

    bool is_active(std::chrono::sys_seconds now) const {
        return !revoked_at && (!expires_at || *expires_at > now);
    }
};

struct NewApiKey {
    std::int64_t user_id = 0;
    std::string name;                 // 1..64 bytes, checked by the caller
    std::vector<std::string> scopes;  // non-empty, each one of api_key_scopes
    std::optional<std::int64_t> org_id;
    std::optional<std::chrono::sys_seconds> expires_at;
};

// A key just made: the secret is here once and never again.
struct CreatedApiKey {
    ApiKey key;
    std::string secret;
};

// What is wrong with a key's scopes ("" when nothing): empty, unknown or repeated scopes.
std::string scopes_problem(const std::vector<std::string>& scopes);

// API keys (table api_keys, schema 0029). Errors: store::Error (not_found, invalid, the
// database's own).
class ApiKeyStore {
public:
    ApiKeyStore(store::Database& db, const ApiKeyHasher& hasher) : db_(db), hasher_(hasher) {}

    // Stores a key whose secret is "idk_" + base64url(`random32`, 32 bytes). Errors: invalid
    // (bad scopes or random bytes).
    store::Result<CreatedApiKey> create(const NewApiKey& key, std::string_view random32,
                                        std::chrono::sys_seconds now);

    // The user's keys, newest first, revoked ones included.
    store::Result<std::vector<ApiKey>> list(std::int64_t user_id);

    // One of the user's keys. Errors: not_found (no such key, or another user's).
    store::Result<ApiKey> find(std::int64_t user_id, std::int64_t id);

    // Revokes one of the user's active keys. Errors: not_found (none, another user's, or
    // already revoked).
    store::Result<ApiKey> revoke(std::int64_t user_id, std::int64_t id,
                                 std::chrono::sys_seconds now);

    // The active key whose secret is `presented`, after recording its use (time, `ip`) when
    // `record_use` and the last record is a minute old or more; nullopt for anything else.
    store::Result<std::optional<ApiKey>> resolve(std::string_view presented, std::string_view ip,
                                                 std::chrono::sys_seconds now,
                                                 bool record_use = true);

private:
    store::Result<std::vector<ApiKey>> select(std::string_view where, const store::Params& params);

    store::Database& db_;
    const ApiKeyHasher& hasher_;
};

}  // namespace idpd::account
