#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::auth {

// How long a browser stays signed in. Config: [sessions]. A session ends at the first of its
// idle limit (moved forward each time the browser is seen) and its absolute limit (fixed at
// sign-in). "Keep me signed in" picks the remember_* pair and a persistent cookie.
struct SessionOptions {
    std::chrono::seconds idle_timeout{std::chrono::hours(2)};
    std::chrono::seconds absolute_timeout{std::chrono::hours(12)};
    std::chrono::seconds remember_idle_timeout{std::chrono::hours(24 * 7)};
    std::chrono::seconds remember_absolute_timeout{std::chrono::hours(24 * 30)};
    // last_seen_at (and the idle limit) is written at most this often per session, so a busy
    // browser does not cost a write per request.
    std::chrono::seconds touch_interval{60};
};

// What sign-in knows when it opens a session.
struct NewSession {
    std::int64_t user_id = 0;
    std::string ip;
    std::string user_agent;   // cut to 512 bytes (at a UTF-8 boundary) before it is stored
    std::string amr;          // RFC 8176 methods, space-separated: "pwd", later "pwd otp"
    bool persistent = false;  // "keep me signed in"
    // Set when the sign-in passed a second factor (web/second_step.h): the session starts at
    // the MFA level, at that time.
    bool second_factor = false;
};

// One session row as the account page lists it and OIDC reads it.
struct Session {
    std::int64_t id = 0;  // shown in revoke buttons; not a secret (the token is)
    std::int64_t user_id = 0;
    std::chrono::sys_seconds created_at{};
    std::chrono::sys_seconds last_seen_at{};
    std::chrono::sys_seconds idle_expires_at{};
    std::chrono::sys_seconds expires_at{};  // the absolute limit
    bool persistent = false;
    std::string ip;
    std::string user_agent;
    std::chrono::sys_seconds auth_time{};
    std::string amr;
    std::optional<std::chrono::sys_seconds> revoked_at;
    // When the session last passed a second factor (sign-in's second step or a step-up), and
    // when the password was last re-entered for a sensitive operation (schema 0030).
    std::optional<std::chrono::sys_seconds> mfa_at{};
    std::optional<std::chrono::sys_seconds> reauth_at{};
};

// A new session and the secret for its cookie: 64 hex digits of 256 random bits, never stored.
struct IssuedSession {
    std::string token;
    Session session;
};

// The browser sessions' storage: table sessions (schema/*/0005_sessions.sql), written once
// against store::Database. Only SHA-256(token) is stored. Times come from the caller. Errors
// are store::Error: not_found, and the database's own.
class SessionStore {
public:
    SessionStore(store::Database& db, RandomSource& random, SessionOptions options = {})
        : db_(db), random_(random), options_(options) {}

    // Opens a session with a fresh random token (so sign-in never reuses an id: no fixation).
    store::Result<IssuedSession> create(const NewSession& session, std::chrono::sys_seconds now);

    // The live session whose cookie is `token`: not_found when the token is unknown or
    // malformed, or the session is revoked, idle past its limit or past its absolute limit.
    // Moves last_seen_at and the idle limit forward (at most once per touch_interval).
    store::Result<Session> find(std::string_view token, std::chrono::sys_seconds now);

    // Ends the session whose cookie is `token` (sign-out). Idempotent: an unknown or already
    // ended session is not an error.
    store::Result<void> revoke(std::string_view token, std::chrono::sys_seconds now);

    // Ends the session `session_id` of `user_id` (the account page's revoke button).
    // not_found when that user has no such live session.
    store::Result<void> revoke_by_id(std::int64_t user_id, std::int64_t session_id,
                                     std::chrono::sys_seconds now);

    // Ends every live session of `user_id` except `keep_id` (0: none); returns how many.
    store::Result<std::uint64_t> revoke_all(std::int64_t user_id, std::int64_t keep_id,
                                            std::chrono::sys_seconds now);

    // The user's live sessions, the most recently seen first.
    store::Result<std::vector<Session>> list_live(std::int64_t user_id,
                                                  std::chrono::sys_seconds now);

    // Records that live session `session_id` just passed a second factor (a step-up): mfa_at
    // becomes `now` and `amr` (RFC 8176, space-separated) replaces its methods. Errors:
    // not_found when the session is not live.
    store::Result<void> record_second_factor(std::int64_t session_id, std::string_view amr,
                                             std::chrono::sys_seconds now);

    // Records that the password was just re-entered in live session `session_id`.
    // Errors: not_found when the session is not live.
    store::Result<void> record_reauth(std::int64_t session_id, std::chrono::sys_seconds now);

    // Deletes sessions that ended before `before` (expired or revoked); returns how many.
    store::Result<std::uint64_t> delete_ended(std::chrono::sys_seconds before);

    const SessionOptions& options() const { return options_; }

private:
    store::Database& db_;
    RandomSource& random_;
    SessionOptions options_;
};

// SHA-256 of `text`, raw 32 bytes. Shared with the CSRF token derivation in web/.
std::string sha256(std::string_view text);

// Lower-case hex of `bytes`.
std::string to_hex(std::string_view bytes);

}  // namespace idpd::auth
