#include "auth/totp_store.h"

#include <algorithm>

#include <openssl/crypto.h>

#include "auth/totp.h"
#include "store/dialect.h"
#include "store/epoch.h"

namespace idpd::auth {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// No 0/O or 1/I: recovery codes are typed from paper. 32 symbols, so a byte & 31 is unbiased.
constexpr std::string_view recovery_alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::string_view recovery_label = "idpd recovery codes v1";

using store::at;
using store::epoch;

// AAD binding a sealed secret to its user: a row copied to another user does not open.
std::string seal_context(std::int64_t user_id) {
    return "totp:" + std::to_string(user_id);
}

std::string_view state_name(bool active) {
    return active ? "active" : "pending";
}

// The code as stored: upper case, without the dash and spaces people type; nullopt when it
// cannot be a recovery code.
std::optional<std::string> normalize_recovery_code(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-' || c == ' ') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (recovery_alphabet.find(c) == std::string_view::npos ||
            out.size() == recovery_code_length) {
            return std::nullopt;
        }
        out.push_back(c);
    }
    if (out.size() != recovery_code_length) {
        return std::nullopt;
    }
    return out;
}

CodeCheck outcome(CodeOutcome o) {
    CodeCheck check;
    check.outcome = o;
    return check;
}

}  // namespace

TotpStore::TotpStore(store::Database& db, const jose::MasterKey& master, RandomSource& random,
                     TotpOptions options)
    : db_(db),
      master_(master),
      random_(random),
      options_(options),
      recovery_hash_(master, recovery_label) {}

std::string TotpStore::recovery_hash(std::string_view normalized) const {
    return recovery_hash_(normalized);
}

store::Result<std::string> TotpStore::enroll(std::int64_t user_id, sys_seconds now) {
    const std::string secret = generate_totp_secret(random_);
    auto sealed = jose::seal(master_, seal_context(user_id), secret);
    if (!sealed) {
        return store::fail(store::Error::Kind::invalid, "cannot seal the TOTP secret");
    }
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto removed = tx.execute("DELETE FROM totp_secrets WHERE user_id = ? AND state = ?",
                                  {user_id, std::string(state_name(false))});
        if (!removed) {
            return std::unexpected(removed.error());
        }
        // The primary key refuses this when an active secret remains: conflict.
        auto inserted = tx.execute(
            "INSERT INTO totp_secrets (user_id, secret, state, last_step, failed_attempts, "
            "locked_until, created_at) VALUES (?, ?, ?, 0, 0, 0, ?)",
            {user_id, store::Blob{*sealed}, std::string(state_name(false)), epoch(now)});
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return secret;
}

store::Result<std::string> TotpStore::pending_secret(std::int64_t user_id) {
    auto rows = db_.query("SELECT secret FROM totp_secrets WHERE user_id = ? AND state = ?",
                          {user_id, std::string(state_name(false))});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no pending TOTP secret");
    }
    auto secret = jose::open(master_, seal_context(user_id), rows->front().text(0));
    if (!secret) {
        return store::fail(store::Error::Kind::invalid,
                           "cannot open the TOTP secret of user " + std::to_string(user_id));
    }
    return std::move(*secret);
}

store::Result<CodeCheck> TotpStore::activate(std::int64_t user_id, std::string_view code,
                                             sys_seconds now) {
    return check_code(user_id, code, now, true);
}

store::Result<CodeCheck> TotpStore::verify(std::int64_t user_id, std::string_view code,
                                           sys_seconds now) {
    return check_code(user_id, code, now, false);
}

store::Result<void> TotpStore::record_failure(store::Database& tx, std::int64_t user_id,
                                              std::int64_t failures, sys_seconds now) {
    std::int64_t locked_until = 0;
    if (failures >= options_.lockout_after) {
        seconds lockout = options_.first_lockout;
        for (std::int64_t i = options_.lockout_after;
             i < failures && lockout < options_.max_lockout; ++i) {
            lockout *= 2;
        }
        locked_until = epoch(now + std::min(lockout, options_.max_lockout));
    }
    auto updated = tx.execute(
        "UPDATE totp_secrets SET failed_attempts = ?, locked_until = ? WHERE user_id = ?",
        {failures, locked_until, user_id});
    if (!updated) {
        return std::unexpected(updated.error());
    }
    return {};
}

store::Result<CodeCheck> TotpStore::check_code(std::int64_t user_id, std::string_view code,
                                               sys_seconds now, bool activating) {
    const std::string state(state_name(!activating));
    CodeCheck result;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        result = outcome(CodeOutcome::not_enrolled);
        auto rows = tx.query(
            "SELECT secret, last_step, failed_attempts, locked_until FROM totp_secrets "
            "WHERE user_id = ? AND state = ?" +
                std::string(store::for_update(tx.dialect())),
            {user_id, state});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (rows->empty()) {
            return {};
        }
        const store::Row& row = rows->front();
        const std::int64_t last_step = row.integer(1);
        const std::int64_t failures = row.integer(2);
        const std::int64_t locked_until = row.integer(3);
        if (epoch(now) < locked_until) {
            result = outcome(CodeOutcome::throttled);
            result.retry_at = at(locked_until);
            return {};
        }
        auto secret = jose::open(master_, seal_context(user_id), row.text(0));
        if (!secret) {
            return store::fail(store::Error::Kind::invalid,
                               "cannot open the TOTP secret of user " + std::to_string(user_id));
        }
        const auto step = match_totp(*secret, code, now, last_step);
        // A code already taken is refused without counting: the user did type a right code.
        const bool replay = !step && match_totp(*secret, code, now).has_value();
        OPENSSL_cleanse(secret->data(), secret->size());
        if (replay) {
            result = outcome(CodeOutcome::replayed);
            return {};
        }
        if (!step) {
            result = outcome(CodeOutcome::wrong_code);
            return record_failure(tx, user_id, failures + 1, now);
        }
        // The row is locked (FOR UPDATE, or SQLite's write lock), and `last_step < ?` makes the
        // step single-use even without that lock.
        auto updated = activating
                           ? tx.execute(
                                 "UPDATE totp_secrets SET last_step = ?, failed_attempts = 0, "
                                 "locked_until = 0, state = 'active', activated_at = ? "
                                 "WHERE user_id = ? AND state = 'pending' AND last_step < ?",
                                 {*step, epoch(now), user_id, *step})
                           : tx.execute(
                                 "UPDATE totp_secrets SET last_step = ?, failed_attempts = 0, "
                                 "locked_until = 0 WHERE user_id = ? AND state = 'active' AND "
                                 "last_step < ?",
                                 {*step, user_id, *step});
        if (!updated) {
            return std::unexpected(updated.error());
        }
        if (updated->affected_rows != 1) {
            result = outcome(CodeOutcome::replayed);
            return {};
        }
        result = outcome(CodeOutcome::accepted);
        result.proof = SecondFactorProof(user_id, now, "otp");
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return result;
}

store::Result<TotpStatus> TotpStore::status(std::int64_t user_id) {
    TotpStatus status;
    auto rows = db_.query(
        "SELECT state, created_at, activated_at FROM totp_secrets WHERE user_id = ?", {user_id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return status;
    }
    const store::Row& row = rows->front();
    status.state = row.text(0) == "active" ? TotpState::active : TotpState::pending;
    status.created_at = at(row.integer(1));
    if (auto activated = row.optional_integer(2)) {
        status.activated_at = at(*activated);
    }
    auto left = db_.query(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", {user_id});
    if (!left) {
        return std::unexpected(left.error());
    }
    status.recovery_codes_left = static_cast<int>(left->front().integer(0));
    return status;
}

store::Result<std::vector<std::string>> TotpStore::regenerate_recovery_codes(std::int64_t user_id,
                                                                             sys_seconds now) {
    std::vector<std::string> codes;
    std::vector<std::string> hashes;
    while (codes.size() < static_cast<std::size_t>(recovery_code_count)) {
        std::array<std::uint8_t, recovery_code_length> raw{};
        random_.fill(raw);
        std::string code;
        for (auto byte : raw) {
            code.push_back(recovery_alphabet[byte & 31]);
        }
        std::string hash = recovery_hash(code);
        if (std::find(hashes.begin(), hashes.end(), hash) != hashes.end()) {
            continue;  // 50 bits each: never in practice, but the UNIQUE key would refuse it
        }
        hashes.push_back(std::move(hash));
        codes.push_back(code.substr(0, 5) + "-" + code.substr(5));
    }
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto rows =
            tx.query("SELECT user_id FROM totp_secrets WHERE user_id = ? AND state = 'active'" +
                         std::string(store::for_update(tx.dialect())),
                     {user_id});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (rows->empty()) {
            return store::fail(store::Error::Kind::not_found, "no active TOTP secret");
        }
        auto removed = tx.execute("DELETE FROM recovery_codes WHERE user_id = ?", {user_id});
        if (!removed) {
            return std::unexpected(removed.error());
        }
        for (const auto& hash : hashes) {
            auto inserted = tx.execute(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
                {user_id, store::Blob{hash}, epoch(now)});
            if (!inserted) {
                return std::unexpected(inserted.error());
            }
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return codes;
}

store::Result<CodeCheck> TotpStore::use_recovery_code(std::int64_t user_id, std::string_view code,
                                                      sys_seconds now) {
    const auto normalized = normalize_recovery_code(code);
    const std::string hash = normalized ? recovery_hash(*normalized) : std::string();
    CodeCheck result;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        result = outcome(CodeOutcome::not_enrolled);
        auto rows = tx.query(
            "SELECT failed_attempts, locked_until FROM totp_secrets "
            "WHERE user_id = ? AND state = 'active'" +
                std::string(store::for_update(tx.dialect())),
            {user_id});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        if (rows->empty()) {
            return {};
        }
        const std::int64_t failures = rows->front().integer(0);
        const std::int64_t locked_until = rows->front().integer(1);
        if (epoch(now) < locked_until) {
            result = outcome(CodeOutcome::throttled);
            result.retry_at = at(locked_until);
            return {};
        }
        if (normalized) {
            // One conditional UPDATE: of two uses of one code, exactly one changes the row.
            auto used = tx.execute(
                "UPDATE recovery_codes SET used_at = ? "
                "WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                {epoch(now), user_id, store::Blob{hash}});
            if (!used) {
                return std::unexpected(used.error());
            }
            if (used->affected_rows == 1) {
                auto reset = tx.execute(
                    "UPDATE totp_secrets SET failed_attempts = 0, locked_until = 0 "
                    "WHERE user_id = ?",
                    {user_id});
                if (!reset) {
                    return std::unexpected(reset.error());
                }
                result = outcome(CodeOutcome::accepted);
                result.proof = SecondFactorProof(user_id, now, "recovery");
                return {};
            }
            auto spent =
                tx.query("SELECT id FROM recovery_codes WHERE user_id = ? AND code_hash = ?",
                         {user_id, store::Blob{hash}});
            if (!spent) {
                return std::unexpected(spent.error());
            }
            if (!spent->empty()) {
                result = outcome(CodeOutcome::replayed);
                return {};
            }
        }
        result = outcome(CodeOutcome::wrong_code);
        return record_failure(tx, user_id, failures + 1, now);
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return result;
}

store::Result<void> TotpStore::disable(const SecondFactorProof& proof, sys_seconds now) {
    if (now - proof.verified_at() > options_.proof_lifetime || now < proof.verified_at()) {
        return store::fail(store::Error::Kind::conflict,
                           "the second-factor proof is too old: ask for a code again");
    }
    const std::int64_t user_id = proof.user_id();
    return db_.transaction([&](store::Database& tx) -> store::Result<void> {
        auto removed = tx.execute("DELETE FROM totp_secrets WHERE user_id = ?", {user_id});
        if (!removed) {
            return std::unexpected(removed.error());
        }
        if (removed->affected_rows == 0) {
            return store::fail(store::Error::Kind::not_found, "no TOTP secret");
        }
        auto codes = tx.execute("DELETE FROM recovery_codes WHERE user_id = ?", {user_id});
        if (!codes) {
            return std::unexpected(codes.error());
        }
        return {};
    });
}

}  // namespace idpd::auth
