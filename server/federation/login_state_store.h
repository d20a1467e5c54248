#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::federation {

// Why the browser went upstream: to sign in (or sign up), or to add a binding to the account
// it is signed in to.
enum class Intent { sign_in, bind };

struct NewLoginState {
    std::string provider;
    Intent intent = Intent::sign_in;
    std::optional<std::int64_t> user_id;  // the account to bind to (Intent::bind)
    std::string return_to;                // a checked local path, or empty
};

struct LoginState {
    std::string provider;
    Intent intent = Intent::sign_in;
    std::optional<std::int64_t> user_id;
    std::string return_to;
};

// The `state` of each upstream login (RFC 6749 §10.12, login CSRF): table federation_states
// (schema/*/0020_federation.sql). A state is 256 random bits; only SHA-256(state) and
// SHA-256(browser secret) are stored, so it is bound to the browser whose cookie holds the
// secret, used once (one UPDATE … WHERE used_at IS NULL decides) and expires after `ttl`.
// The PKCE verifier and the nonce are derived from the browser secret and the state, so they
// are never stored and never travel through the upstream. Errors are store::Error.
class LoginStateStore {
public:
    LoginStateStore(store::Database& db, auth::RandomSource& random, std::chrono::seconds ttl)
        : db_(db), random_(random), ttl_(ttl) {}

    // A new state for `browser_secret` (the federation cookie's value).
    store::Result<std::string> issue(const NewLoginState& state, std::string_view browser_secret,
                                     std::chrono::sys_seconds now);

    // Uses up the state: not_found when it is unknown, of another browser, used or expired.
    store::Result<LoginState> consume(std::string_view state, std::string_view browser_secret,
                                      std::chrono::sys_seconds now);

    // Deletes states that expired before `before`; returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

private:
    store::Database& db_;
    auth::RandomSource& random_;
    std::chrono::seconds ttl_;
};

// 64 hex digits of 256 random bits: states, browser secrets, pending tokens.
std::string random_token(auth::RandomSource& random);

// RFC 7636 §4.1 code_verifier (43 base64url characters) for this browser and state.
std::string code_verifier(std::string_view browser_secret, std::string_view state);

// RFC 7636 §4.2 S256 challenge of a verifier.
std::string code_challenge(std::string_view verifier);

// The OIDC nonce for this browser and state.
std::string login_nonce(std::string_view browser_secret, std::string_view state);

}  // namespace idpd::federation
