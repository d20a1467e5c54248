#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/random_source.h"
#include "jose/key_encryption.h"
#include "jose/keyed_hash.h"
#include "store/database.h"

namespace idpd::auth {

// How guessing is slowed down and how long a proof lasts. Config: [totp] (when wired).
struct TotpOptions {
    // Wrong codes (TOTP or recovery) in a row: from the `lockout_after`-th on, each one locks
    // the user's second factor for first_lockout × 2^(failures − lockout_after), at most
    // max_lockout: 5 failures → 30 s, 6 → 60 s, 7 → 120 s … 12 and more → 1 h. An attempt
    // while locked is refused unchecked and not counted; an accepted code resets the count.
    int lockout_after = 5;
    std::chrono::seconds first_lockout{30};
    std::chrono::seconds max_lockout{std::chrono::hours(1)};
    // How long a SecondFactorProof is good for disable() after the code that made it.
    std::chrono::seconds proof_lifetime{std::chrono::minutes(5)};
};

enum class TotpState { none, pending, active };

struct TotpStatus {
    TotpState state = TotpState::none;
    std::optional<std::chrono::sys_seconds> created_at;
    std::optional<std::chrono::sys_seconds> activated_at;
    int recovery_codes_left = 0;  // unused codes of the current set
};

// Evidence that the user just passed their second factor: made only by TotpStore when a code
// is accepted, so an operation that demands it (disable()) cannot be called without one.
class SecondFactorProof {
public:
    std::int64_t user_id() const { return user_id_; }

    std::chrono::sys_seconds verified_at() const { return verified_at_; }

    // RFC 8176 method: "otp" for a TOTP code, "recovery" for a recovery code (not an RFC 8176
    // value; it maps to "mfa" at most).
    std::string_view method() const { return method_; }

private:
    friend class TotpStore;

    SecondFactorProof(std::int64_t user_id, std::chrono::sys_seconds at, std::string_view method)
        : user_id_(user_id), verified_at_(at), method_(method) {}

    std::int64_t user_id_;
    std::chrono::sys_seconds verified_at_;
    std::string_view method_;
};

enum class CodeOutcome {
    accepted,
    wrong_code,    // not a valid code now (counted towards the lockout)
    replayed,      // a valid code already used (a TOTP step taken, a spent recovery code)
    throttled,     // locked out until retry_at; the code was not looked at
    not_enrolled,  // no secret in the state the call needs (pending for activate, else active)
};

struct CodeCheck {
    CodeOutcome outcome = CodeOutcome::wrong_code;
    std::optional<SecondFactorProof> proof;            // set when accepted
    std::optional<std::chrono::sys_seconds> retry_at;  // set when throttled
};

// Number and shape of recovery codes: 10 codes of 10 characters from an alphabet without
// 0/O/1/I (32 symbols: 50 bits each), shown as XXXXX-XXXXX.
inline constexpr int recovery_code_count = 10;
inline constexpr std::size_t recovery_code_length = 10;

// Per-user TOTP secrets (RFC 6238) and recovery codes: tables totp_secrets and recovery_codes
// (schema/*/0007_totp.sql), written once against store::Database. The secret is stored sealed
// under the master key; recovery codes only as HMAC-SHA-256 under a key derived from it. Times
// come from the caller. Errors are store::Error: the database's own, and invalid when a sealed
// secret cannot be opened (another master key, or a changed row).
class TotpStore {
public:
    TotpStore(store::Database& db, const jose::MasterKey& master, RandomSource& random,
              TotpOptions options = {});
    TotpStore(const TotpStore&) = delete;
    TotpStore& operator=(const TotpStore&) = delete;

    // Starts enrollment: a fresh 160-bit secret, stored sealed in the pending state (replacing
    // an earlier pending one), returned raw for the QR code and manual entry (base32). Errors:
    // conflict when the user already has an active secret (disable it first).
    store::Result<std::string> enroll(std::int64_t user_id, std::chrono::sys_seconds now);

    // The raw secret of the user's pending enrollment, for the setup page's QR code and manual
    // entry (shown again on reload until activated). Errors: not_found when nothing is
    // pending; invalid when the sealed secret cannot be opened.
    store::Result<std::string> pending_secret(std::int64_t user_id);

    // Activates a pending secret with one valid code (its step is then used up). Outcomes:
    // accepted (now active), wrong_code, replayed, throttled, not_enrolled (nothing pending).
    store::Result<CodeCheck> activate(std::int64_t user_id, std::string_view code,
                                      std::chrono::sys_seconds now);

    // Checks a code against the active secret. A code is taken only for a time step after the
    // last accepted one, by one conditional UPDATE, so of two concurrent uses of one code
    // exactly one is accepted. Outcomes as activate(); not_enrolled when nothing is active.
    store::Result<CodeCheck> verify(std::int64_t user_id, std::string_view code,
                                    std::chrono::sys_seconds now);

    // Where the user stands; state none when they have no secret.
    store::Result<TotpStatus> status(std::int64_t user_id);

    // A new set of recovery_code_count codes, formatted XXXXX-XXXXX, to be shown once; the old
    // set (used or not) is void. Errors: not_found when the user has no active secret.
    store::Result<std::vector<std::string>> regenerate_recovery_codes(std::int64_t user_id,
                                                                      std::chrono::sys_seconds now);

    // Spends one recovery code (case, spaces and dashes ignored), atomically: of two uses of
    // one code exactly one is accepted. Throttled together with TOTP codes. Outcomes:
    // accepted, wrong_code, replayed (already used), throttled, not_enrolled (no active secret).
    store::Result<CodeCheck> use_recovery_code(std::int64_t user_id, std::string_view code,
                                               std::chrono::sys_seconds now);

    // Turns two-step verification off for proof.user_id(): deletes the secret and the recovery
    // codes. `proof` must be younger than options.proof_lifetime. Errors: conflict when the
    // proof is too old (ask for a code again); not_found when nothing is enrolled.
    store::Result<void> disable(const SecondFactorProof& proof, std::chrono::sys_seconds now);

private:
    store::Result<CodeCheck> check_code(std::int64_t user_id, std::string_view code,
                                        std::chrono::sys_seconds now, bool activating);
    store::Result<void> record_failure(store::Database& tx, std::int64_t user_id,
                                       std::int64_t failures, std::chrono::sys_seconds now);
    std::string recovery_hash(std::string_view normalized) const;

    store::Database& db_;
    const jose::MasterKey& master_;
    RandomSource& random_;
    TotpOptions options_;
    jose::KeyedHash recovery_hash_;  // label "idpd recovery codes v1"
};

}  // namespace idpd::auth
