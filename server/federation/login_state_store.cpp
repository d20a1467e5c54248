#include "federation/login_state_store.h"

#include <array>

#include "auth/session_store.h"
#include "jose/base64url.h"

namespace idpd::federation {
namespace {

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

// Derivations are domain-separated so a verifier never equals a nonce.
std::string derive(std::string_view label, std::string_view browser_secret,
                   std::string_view state) {
    std::string input(label);
    input.push_back('\0');
    input.append(browser_secret).push_back('\0');
    input.append(state);
    return auth::sha256(input);
}

bool is_token(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string random_token(auth::RandomSource& random) {
    std::array<std::uint8_t, 32> raw{};
    random.fill(raw);
    return auth::to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string code_verifier(std::string_view browser_secret, std::string_view state) {
    return jose::base64url_encode(derive("idpd-fed-pkce", browser_secret, state));
}

std::string code_challenge(std::string_view verifier) {
    return jose::base64url_encode(auth::sha256(verifier));
}

std::string login_nonce(std::string_view browser_secret, std::string_view state) {
    return jose::base64url_encode(derive("idpd-fed-nonce", browser_secret, state));
}

store::Result<std::string> LoginStateStore::issue(const NewLoginState& state,
                                                  std::string_view browser_secret,
                                                  std::chrono::sys_seconds now) {
    const std::string token = random_token(random_);
    store::Value user_id = nullptr;
    if (state.user_id) {
        user_id = *state.user_id;
    }
    auto inserted = db_.execute(
        "INSERT INTO federation_states (state_hash, browser_hash, provider, intent, user_id, "
        "return_to, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {store::Blob{auth::sha256(token)}, store::Blob{auth::sha256(browser_secret)},
         state.provider, std::string(state.intent == Intent::bind ? "bind" : "sign_in"), user_id,
         state.return_to, epoch(now), epoch(now + ttl_)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return token;
}

store::Result<LoginState> LoginStateStore::consume(std::string_view state,
                                                   std::string_view browser_secret,
                                                   std::chrono::sys_seconds now) {
    if (!is_token(state) || !is_token(browser_secret)) {
        return store::fail(store::Error::Kind::not_found, "not a login state");
    }
    const store::Blob key{auth::sha256(state)};
    // One statement decides: a replayed or raced callback finds nothing left to use.
    auto used = db_.execute(
        "UPDATE federation_states SET used_at = ? WHERE state_hash = ? AND browser_hash = ? AND "
        "used_at IS NULL AND expires_at > ?",
        {epoch(now), key, store::Blob{auth::sha256(browser_secret)}, epoch(now)});
    if (!used) {
        return std::unexpected(used.error());
    }
    if (used->affected_rows != 1) {
        return store::fail(store::Error::Kind::not_found, "unknown, used or expired state");
    }
    auto rows = db_.query(
        "SELECT provider, intent, user_id, return_to FROM federation_states WHERE state_hash = ?",
        {key});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "state vanished");
    }
    const auto& row = rows->front();
    return LoginState{row.text(0), row.text(1) == "bind" ? Intent::bind : Intent::sign_in,
                      row.optional_integer(2), row.text(3)};
}

store::Result<std::uint64_t> LoginStateStore::delete_expired(std::chrono::sys_seconds before) {
    auto deleted =
        db_.execute("DELETE FROM federation_states WHERE expires_at < ?", {epoch(before)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::federation
