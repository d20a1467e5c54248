#include "oidc/authorization_code_store.h"

#include "oidc/access_token_store.h"

namespace idpd::oidc {
namespace {

store::Value optional_value(const std::optional<std::string>& text) {
    if (!text) {
        return nullptr;
    }
    return *text;
}

}  // namespace

store::Result<void> AuthorizationCodeStore::add(std::string_view code_value,
                                                const AuthorizationCode& code) {
    auto inserted = db_.execute(
        "INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, scope, nonce, "
        "code_challenge, user_id, sid, auth_time, amr, created_at, expires_at, acr, "
        "id_token_claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {store::Blob{sha256(code_value)}, code.client_id, code.redirect_uri, code.scope,
         optional_value(code.nonce), code.code_challenge, code.user_id, code.sid, code.auth_time,
         code.amr, code.created_at, code.expires_at, code.acr, code.id_token_claims});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

store::Result<AuthorizationCode> AuthorizationCodeStore::find(std::string_view code_value) {
    auto rows = db_.query(
        "SELECT client_id, redirect_uri, scope, nonce, code_challenge, user_id, sid, auth_time, "
        "amr, created_at, expires_at, used_at, acr, id_token_claims FROM authorization_codes "
        "WHERE code_hash = ?",
        {store::Blob{sha256(code_value)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such authorization code");
    }
    const auto& row = rows->front();
    AuthorizationCode code;
    code.client_id = row.text(0);
    code.redirect_uri = row.text(1);
    code.scope = row.text(2);
    code.nonce = row.optional_text(3);
    code.code_challenge = row.text(4);
    code.user_id = row.integer(5);
    code.sid = row.text(6);
    code.auth_time = row.integer(7);
    code.amr = row.text(8);
    code.created_at = row.integer(9);
    code.expires_at = row.integer(10);
    code.used_at = row.optional_integer(11);
    code.acr = row.text(12);
    code.id_token_claims = row.text(13);
    return code;
}

store::Result<bool> AuthorizationCodeStore::consume(std::string_view code_value, std::int64_t now) {
    auto updated = db_.execute(
        "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
        {now, store::Blob{sha256(code_value)}});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return updated->affected_rows == 1;
}

store::Result<void> AuthorizationCodeStore::record_issued(std::string_view code_value,
                                                          const IssuedFromCode& issued) {
    store::Value hash = nullptr;
    if (issued.access_token_hash) {
        hash = store::Blob{*issued.access_token_hash};
    }
    auto updated = db_.execute(
        "UPDATE authorization_codes SET access_token_hash = ?, access_token_jti = ?, "
        "access_token_expires_at = ? WHERE code_hash = ?",
        {hash, optional_value(issued.access_token_jti), issued.expires_at,
         store::Blob{sha256(code_value)}});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return {};
}

store::Result<IssuedFromCode> AuthorizationCodeStore::issued(std::string_view code_value) {
    auto rows = db_.query(
        "SELECT access_token_hash, access_token_jti, access_token_expires_at FROM "
        "authorization_codes WHERE code_hash = ?",
        {store::Blob{sha256(code_value)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such authorization code");
    }
    const auto& row = rows->front();
    return IssuedFromCode{row.optional_text(0), row.optional_text(1),
                          row.optional_integer(2).value_or(0)};
}

store::Result<std::uint64_t> AuthorizationCodeStore::delete_expired(std::int64_t now) {
    auto deleted = db_.execute("DELETE FROM authorization_codes WHERE expires_at <= ?", {now});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::oidc
