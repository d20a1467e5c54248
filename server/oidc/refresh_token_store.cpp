#include "oidc/refresh_token_store.h"

#include "oidc/access_token_store.h"
#include "store/dialect.h"

namespace idpd::oidc {
namespace {

store::Value optional_text(const std::optional<std::string>& text) {
    if (!text) {
        return nullptr;
    }
    return *text;
}

store::Result<void> insert_token(store::Database& db, const std::string& family_id,
                                 const NewRefreshToken& token) {
    store::Value hash = nullptr;
    if (token.access_token.access_token_hash) {
        hash = store::Blob{*token.access_token.access_token_hash};
    }
    auto inserted = db.execute(
        "INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at, "
        "access_token_hash, access_token_jti, access_token_expires_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?)",
        {store::Blob{sha256(token.value)}, family_id, token.issued_at, token.expires_at, hash,
         optional_text(token.access_token.access_token_jti), token.access_token.expires_at});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return {};
}

// Inside rotate's transaction, with the family row locked: the outcome for a token that another
// request spent first.
store::Result<Rotation> spent_before(store::Database& tx, const std::string& family_id,
                                     std::string_view token_value, const NewRefreshToken& next,
                                     std::int64_t now, std::int64_t grace_seconds) {
    auto rows = tx.query("SELECT used_at FROM refresh_tokens WHERE token_hash = ?" +
                             std::string(store::for_update(tx.dialect())),
                         {store::Blob{sha256(token_value)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    const auto used_at = rows->empty() ? std::nullopt : rows->front().optional_integer(0);
    if (used_at && grace_seconds > 0 && now - *used_at <= grace_seconds) {
        if (auto added = insert_token(tx, family_id, next); !added) {
            return std::unexpected(added.error());
        }
        return Rotation::within_grace;
    }
    auto revoked = tx.execute("UPDATE refresh_token_families SET revoked = 1 WHERE family_id = ?",
                              {family_id});
    if (!revoked) {
        return std::unexpected(revoked.error());
    }
    return Rotation::reused;
}

}  // namespace

store::Result<void> RefreshTokenStore::start_family(const RefreshFamily& family,
                                                    const NewRefreshToken& first) {
    return db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto inserted = tx.execute(
            "INSERT INTO refresh_token_families (family_id, client_id, user_id, subject, sid, "
            "scope, auth_time, amr, acr, jkt, created_at, expires_at, revoked, id_token_claims) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            {family.family_id, family.client_id, family.user_id, family.subject, family.sid,
             family.scope, family.auth_time, family.amr, family.acr, optional_text(family.jkt),
             family.created_at, family.expires_at, family.id_token_claims});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        return insert_token(tx, family.family_id, first);
    });
}

store::Result<RefreshToken> RefreshTokenStore::find(std::string_view token_value) {
    auto rows = db_.query(
        "SELECT f.family_id, f.client_id, f.user_id, f.subject, f.sid, f.scope, f.auth_time, "
        "f.amr, f.acr, f.jkt, f.created_at, f.expires_at, f.revoked, t.issued_at, "
        "t.expires_at, t.used_at, f.id_token_claims FROM "
        "refresh_tokens t JOIN refresh_token_families f ON f.family_id = t.family_id WHERE "
        "t.token_hash = ?",
        {store::Blob{sha256(token_value)}});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no such refresh token");
    }
    const auto& row = rows->front();
    RefreshToken token;
    token.family = RefreshFamily{
        row.text(0),     row.text(1),     row.integer(2),      row.text(3), row.text(4),
        row.text(5),     row.integer(6),  row.text(7),         row.text(8), row.optional_text(9),
        row.integer(10), row.integer(11), row.integer(12) != 0};
    token.issued_at = row.integer(13);
    token.expires_at = row.integer(14);
    token.family.id_token_claims = row.text(16);
    token.used_at = row.optional_integer(15);
    return token;
}

store::Result<Rotation> RefreshTokenStore::rotate(const std::string& family_id,
                                                  std::string_view token_value,
                                                  const NewRefreshToken& next, std::int64_t now,
                                                  std::int64_t grace_seconds) {
    Rotation outcome = Rotation::dead;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        outcome = Rotation::dead;  // transaction() may run this again after a deadlock
        auto family =
            tx.query("SELECT revoked, expires_at FROM refresh_token_families WHERE family_id = ?" +
                         std::string(store::for_update(tx.dialect())),
                     {family_id});
        if (!family) {
            return std::unexpected(family.error());
        }
        if (family->empty() || family->front().integer(0) != 0 ||
            family->front().integer(1) <= now) {
            return {};
        }
        auto spent = tx.execute(
            "UPDATE refresh_tokens SET used_at = ?, rotated_to = ? WHERE token_hash = ? AND "
            "used_at IS NULL",
            {now, store::Blob{sha256(next.value)}, store::Blob{sha256(token_value)}});
        if (!spent) {
            return std::unexpected(spent.error());
        }
        if (spent->affected_rows == 1) {
            outcome = Rotation::rotated;
            return insert_token(tx, family_id, next);
        }
        auto later = spent_before(tx, family_id, token_value, next, now, grace_seconds);
        if (!later) {
            return std::unexpected(later.error());
        }
        outcome = *later;
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return outcome;
}

store::Result<std::vector<IssuedFromCode>> RefreshTokenStore::revoke_family(
    const std::string& family_id) {
    auto revoked = db_.execute("UPDATE refresh_token_families SET revoked = 1 WHERE family_id = ?",
                               {family_id});
    if (!revoked) {
        return std::unexpected(revoked.error());
    }
    return access_tokens_of(family_id);
}

store::Result<std::vector<std::pair<std::string, std::string>>> RefreshTokenStore::live_families_of(
    std::int64_t user_id, const std::string& client_id) {
    auto rows = client_id.empty()
                    ? db_.query(
                          "SELECT family_id, client_id FROM refresh_token_families WHERE "
                          "user_id = ? AND revoked = 0",
                          {user_id})
                    : db_.query(
                          "SELECT family_id, client_id FROM refresh_token_families WHERE "
                          "user_id = ? AND client_id = ? AND revoked = 0",
                          {user_id, client_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<std::pair<std::string, std::string>> families;
    for (const auto& row : *rows) {
        families.emplace_back(row.text(0), row.text(1));
    }
    return families;
}

store::Result<std::optional<std::string>> RefreshTokenStore::family_of(
    const IssuedFromCode& access_token) {
    auto rows = access_token.access_token_hash
                    ? db_.query("SELECT family_id FROM refresh_tokens WHERE access_token_hash = ?",
                                {store::Blob{*access_token.access_token_hash}})
                    : db_.query("SELECT family_id FROM refresh_tokens WHERE access_token_jti = ?",
                                {access_token.access_token_jti.value_or("")});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return rows->front().text(0);
}

store::Result<std::vector<IssuedFromCode>> RefreshTokenStore::access_tokens_of(
    const std::string& family_id) {
    auto rows = db_.query(
        "SELECT access_token_hash, access_token_jti, access_token_expires_at FROM refresh_tokens "
        "WHERE family_id = ?",
        {family_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<IssuedFromCode> issued;
    for (const auto& row : *rows) {
        issued.push_back(IssuedFromCode{row.optional_text(0), row.optional_text(1),
                                        row.optional_integer(2).value_or(0)});
    }
    return issued;
}

store::Result<std::uint64_t> RefreshTokenStore::delete_expired(std::int64_t now) {
    auto tokens = db_.execute(
        "DELETE FROM refresh_tokens WHERE expires_at <= ? OR family_id IN (SELECT family_id FROM "
        "refresh_token_families WHERE expires_at <= ?)",
        {now, now});
    if (!tokens) {
        return std::unexpected(tokens.error());
    }
    auto families = db_.execute("DELETE FROM refresh_token_families WHERE expires_at <= ?", {now});
    if (!families) {
        return std::unexpected(families.error());
    }
    return tokens->affected_rows + families->affected_rows;
}

}  // namespace idpd::oidc
