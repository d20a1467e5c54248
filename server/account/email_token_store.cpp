#include "account/email_token_store.h"

#include <array>

#include "auth/session_store.h"

namespace idpd::account {
namespace {

std::int64_t seconds_of(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

std::string hash_of(std::string_view token) {
    return auth::sha256(token);
}

}  // namespace

std::string_view purpose_name(EmailTokenPurpose purpose) {
    return purpose == EmailTokenPurpose::password_reset ? "password_reset" : "verify_email";
}

bool is_token_shape(std::string_view token) {
    return token.size() == 64 && token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

store::Result<std::string> EmailTokenStore::issue(EmailTokenPurpose purpose, std::int64_t user_id,
                                                  std::string_view email, std::chrono::seconds ttl,
                                                  std::chrono::sys_seconds now) {
    std::array<std::uint8_t, 32> raw{};
    random_.fill(raw);
    std::string token =
        auth::to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    auto inserted = db_.execute(
        "INSERT INTO email_tokens (token_hash, purpose, user_id, email, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {store::Blob{hash_of(token)}, std::string(purpose_name(purpose)), user_id,
         std::string(email), seconds_of(now), seconds_of(now + ttl)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return token;
}

store::Result<std::optional<RedeemedEmailToken>> EmailTokenStore::peek(
    std::string_view token, EmailTokenPurpose purpose, std::chrono::sys_seconds now) {
    auto rows = db_.query(
        "SELECT user_id, email FROM email_tokens WHERE token_hash = ? AND purpose = ? AND "
        "used_at IS NULL AND expires_at > ?",
        {store::Blob{hash_of(token)}, std::string(purpose_name(purpose)), seconds_of(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::nullopt;
    }
    return RedeemedEmailToken{rows->front().integer(0), rows->front().text(1)};
}

store::Result<RedeemedEmailToken> EmailTokenStore::redeem(std::string_view token,
                                                          EmailTokenPurpose purpose,
                                                          std::chrono::sys_seconds now) {
    RedeemedEmailToken redeemed;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        // The UPDATE's affected-row count decides a race between two redemptions.
        auto used = tx.execute(
            "UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND "
            "used_at IS NULL AND expires_at > ?",
            {seconds_of(now), store::Blob{hash_of(token)}, std::string(purpose_name(purpose)),
             seconds_of(now)});
        if (!used) {
            return std::unexpected(used.error());
        }
        if (used->affected_rows == 0) {
            return store::fail(store::Error::Kind::not_found, "no such link");
        }
        auto rows = tx.query("SELECT user_id, email FROM email_tokens WHERE token_hash = ?",
                             {store::Blob{hash_of(token)}});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (rows->empty()) {
            return store::fail(store::Error::Kind::not_found, "no such link");
        }
        redeemed = {rows->front().integer(0), rows->front().text(1)};
        if (purpose == EmailTokenPurpose::password_reset) {
            auto voided = tx.execute(
                "UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND "
                "used_at IS NULL",
                {seconds_of(now), redeemed.user_id, std::string(purpose_name(purpose))});
            if (!voided) {
                return std::unexpected(voided.error());
            }
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return redeemed;
}

store::Result<std::optional<std::chrono::sys_seconds>> EmailTokenStore::last_issued(
    EmailTokenPurpose purpose, std::int64_t user_id, std::string_view email) {
    auto rows = db_.query(
        "SELECT MAX(created_at) FROM email_tokens WHERE user_id = ? AND purpose = ? AND "
        "email = ?",
        {user_id, std::string(purpose_name(purpose)), std::string(email)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty() || rows->front().is_null(0)) {
        return std::nullopt;
    }
    return std::chrono::sys_seconds(std::chrono::seconds(rows->front().integer(0)));
}

store::Result<std::uint64_t> EmailTokenStore::delete_expired(std::chrono::sys_seconds before) {
    auto deleted =
        db_.execute("DELETE FROM email_tokens WHERE expires_at < ?", {seconds_of(before)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::account
