#include "account/api_keys.h"

#include <algorithm>
#include <sstream>

#include "jose/base64url.h"

namespace idpd::account {
namespace {

constexpr std::string_view derivation_label = "idpd api key v1";
constexpr std::int64_t use_record_interval = 60;  // seconds between two last-used updates

std::int64_t seconds_of(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::optional<std::chrono::sys_seconds> optional_time(const store::Row& row, std::size_t i) {
    if (auto v = row.optional_integer(i)) {
        return std::chrono::sys_seconds{std::chrono::seconds{*v}};
    }
    return std::nullopt;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; in >> item;) {
        out.push_back(item);
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

constexpr std::string_view columns =
    "id, user_id, name, hint, scopes, org_id, created_at, expires_at, revoked_at, last_used_at, "
    "last_used_ip";

ApiKey from_row(const store::Row& row) {
    ApiKey key;
    key.id = row.integer(0);
    key.user_id = row.integer(1);
    key.name = row.text(2);
    key.hint = row.text(3);
    key.scopes = split(row.text(4));
    key.org_id = row.optional_integer(5);
    key.created_at = std::chrono::sys_seconds{std::chrono::seconds{row.integer(6)}};
    key.expires_at = optional_time(row, 7);
    key.revoked_at = optional_time(row, 8);
    key.last_used_at = optional_time(row, 9);
    key.last_used_ip = row.text(10);
    return key;
}

}  // namespace

ApiKeyHasher::ApiKeyHasher(const jose::MasterKey& master) : hash_(master, derivation_label) {}

std::string ApiKeyHasher::hash(std::string_view secret) const {
    return hash_(secret);
}

std::string scopes_problem(const std::vector<std::string>& scopes) {
    if (scopes.empty()) {
        return "choose at least one scope";
    }
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        if (std::ranges::find(api_key_scopes, scopes[i]) == api_key_scopes.end()) {
            return "unknown scope: " + scopes[i];
        }
        if (std::find(scopes.begin(), scopes.begin() + static_cast<std::ptrdiff_t>(i), scopes[i]) !=
            scopes.begin() + static_cast<std::ptrdiff_t>(i)) {
            return "repeated scope: " + scopes[i];
        }
    }
    return "";
}

store::Result<CreatedApiKey> ApiKeyStore::create(const NewApiKey& key, std::string_view random32,
                                                 std::chrono::sys_seconds now) {
    if (auto problem = scopes_problem(key.scopes); !problem.empty()) {
        return store::fail(store::Error::Kind::invalid, problem);
    }
    if (random32.size() != 32) {
        return store::fail(store::Error::Kind::invalid, "an API key needs 32 random bytes");
    }
    CreatedApiKey created;
    created.secret = std::string(api_key_secret_prefix) + jose::base64url_encode(random32);
    ApiKey& stored = created.key;
    stored.user_id = key.user_id;
    stored.name = key.name;
    stored.hint = created.secret.substr(0, 8);
    stored.scopes = key.scopes;
    stored.org_id = key.org_id;
    stored.created_at = now;
    stored.expires_at = key.expires_at;
    auto inserted = db_.execute(
        "INSERT INTO api_keys (user_id, name, secret_hash, hint, scopes, org_id, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {key.user_id, key.name, store::Blob{hasher_.hash(created.secret)}, stored.hint,
         join(key.scopes), key.org_id ? store::Value{*key.org_id} : store::Value{nullptr},
         seconds_of(now),
         key.expires_at ? store::Value{seconds_of(*key.expires_at)} : store::Value{nullptr}});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    stored.id = inserted->last_insert_id;
    return created;
}

store::Result<std::vector<ApiKey>> ApiKeyStore::select(std::string_view where,
                                                       const store::Params& params) {
    auto rows = db_.query(
        "SELECT " + std::string(columns) + " FROM api_keys WHERE " + std::string(where), params);
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<ApiKey> keys;
    for (const auto& row : *rows) {
        keys.push_back(from_row(row));
    }
    return keys;
}

store::Result<std::vector<ApiKey>> ApiKeyStore::list(std::int64_t user_id) {
    return select("user_id = ? ORDER BY created_at DESC, id DESC", {user_id});
}

store::Result<ApiKey> ApiKeyStore::find(std::int64_t user_id, std::int64_t id) {
    auto keys = select("id = ? AND user_id = ?", {id, user_id});
    if (!keys) {
        return std::unexpected(keys.error());
    }
    if (keys->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such API key");
    }
    return keys->front();
}

store::Result<ApiKey> ApiKeyStore::revoke(std::int64_t user_id, std::int64_t id,
                                          std::chrono::sys_seconds now) {
    auto revoked = db_.execute(
        "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
        {seconds_of(now), id, user_id});
    if (!revoked) {
        return std::unexpected(revoked.error());
    }
    if (revoked->affected_rows == 0) {
        return store::fail(store::Error::Kind::not_found, "no such active API key");
    }
    return find(user_id, id);
}

store::Result<std::optional<ApiKey>> ApiKeyStore::resolve(std::string_view presented,
                                                          std::string_view ip,
                                                          std::chrono::sys_seconds now,
                                                          bool record_use) {
    if (!presented.starts_with(api_key_secret_prefix) || presented.size() > 128) {
        return std::nullopt;
    }
    auto keys = select("secret_hash = ?", {store::Blob{hasher_.hash(presented)}});
    if (!keys) {
        return std::unexpected(keys.error());
    }
    if (keys->empty() || !keys->front().is_active(now)) {
        return std::nullopt;
    }
    ApiKey key = keys->front();
    // At most one write a minute per key: a busy key does not write on every call.
    if (record_use && (!key.last_used_at ||
                       seconds_of(now) - seconds_of(*key.last_used_at) >= use_record_interval)) {
        auto recorded = db_.execute(
            "UPDATE api_keys SET last_used_at = ?, last_used_ip = ? WHERE id = ? AND "
            "(last_used_at IS NULL OR last_used_at <= ?)",
            {seconds_of(now), std::string(ip.substr(0, 64)), key.id,
             seconds_of(now) - use_record_interval});
        if (!recorded) {
            return std::unexpected(recorded.error());
        }
        key.last_used_at = now;
        key.last_used_ip = std::string(ip.substr(0, 64));
    }
    return key;
}

}  // namespace idpd::account
