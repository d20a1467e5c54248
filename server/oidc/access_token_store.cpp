#include "oidc/access_token_store.h"

#include <openssl/sha.h>

#include "oidc/scope.h"
#include "store/dialect.h"

namespace idpd::oidc {

std::string sha256(std::string_view value) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(value.data()), value.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
}

void add_authentication_claims(nlohmann::json& claims, const UserAuthentication& authn) {
    if (authn.auth_time != 0) {
        claims["auth_time"] = authn.auth_time;
    }
    if (!authn.acr.empty()) {
        claims["acr"] = authn.acr;
    }
    if (!authn.amr.empty()) {
        claims["amr"] = split_scope(authn.amr);
    }
}

store::Result<void> AccessTokenStore::add(std::string_view token_value,
                                          const StoredAccessToken& token) {
    auto inserted = db_.execute(
        "INSERT INTO access_tokens (token_hash, client_id, subject, scope, audience, issued_at, "
        "expires_at, revoked, jkt, auth_time, acr, amr) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, "
        "?)",
        {store::Blob{sha256(token_value)}, token.client_id, token.subject, token.scope,
         token.audience, token.issued_at, token.expires_at,
         token.jkt ? store::Value{*token.jkt} : store::Value{nullptr}, token.authn.auth_time,
         token.authn.acr, token.authn.amr});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<StoredAccessToken> AccessTokenStore::find(std::string_view token_value) {
    auto rows = db_.query(
        "SELECT client_id, subject, scope, audience, issued_at, expires_at, revoked, jkt, "
        "auth_time, acr, amr FROM access_tokens WHERE token_hash = ?",
        {store::Blob{sha256(token_value)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such access token");
    }
    const auto& row = rows->front();
    return StoredAccessToken{
        row.text(0),         row.text(1),          row.text(2),
        row.text(3),         row.integer(4),       row.integer(5),
        row.integer(6) != 0, row.optional_text(7), {row.integer(8), row.text(9), row.text(10)}};
}

store::Result<void> AccessTokenStore::revoke(std::string_view token_value) {
    auto updated = db_.execute("UPDATE access_tokens SET revoked = 1 WHERE token_hash = ?",
                               {store::Blob{sha256(token_value)}});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return {};
}

store::Result<void> AccessTokenStore::revoke_hash(const std::string& token_hash) {
    auto updated = db_.execute("UPDATE access_tokens SET revoked = 1 WHERE token_hash = ?",
                               {store::Blob{token_hash}});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return {};
}

store::Result<void> AccessTokenStore::revoke_jti(const std::string& jti,
                                                 const std::string& client_id,
                                                 std::int64_t expires_at) {
    // Insert unless present, in the common subset: a conflict means it is already revoked.
    auto inserted = db_.execute(
        "INSERT INTO revoked_jwt_access_tokens (jti, client_id, expires_at) VALUES (?, ?, ?)",
        {jti, client_id, expires_at});
    if (!inserted && inserted.error().kind != store::Error::Kind::conflict) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<bool> AccessTokenStore::is_jti_revoked(const std::string& jti) {
    auto rows = db_.query("SELECT 1 FROM revoked_jwt_access_tokens WHERE jti = ?", {jti});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return !rows->empty();
}

store::Result<std::uint64_t> AccessTokenStore::delete_expired(std::int64_t now) {
    auto tokens = db_.execute("DELETE FROM access_tokens WHERE expires_at <= ?", {now});
    if (!tokens) {
        return std::unexpected(tokens.error());
    }
    auto jtis = db_.execute("DELETE FROM revoked_jwt_access_tokens WHERE expires_at <= ?", {now});
    if (!jtis) {
        return std::unexpected(jtis.error());
    }
    return tokens->affected_rows + jtis->affected_rows;
}

}  // namespace idpd::oidc
