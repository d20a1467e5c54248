#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jose/alg.h"
#include "jose/error.h"
#include "jose/jwk.h"
#include "jose/jwks.h"
#include "jose/key_encryption.h"
#include "store/database.h"

namespace idpd::jose {

// The wall clock, injected so that tests can move time (rotation, expiry).
using Clock = std::function<std::chrono::system_clock::time_point()>;

// Where the master key comes from.
struct MasterKeyOptions {
    // The 32-byte key as unpadded base64url (43 characters). Production sets this (from a
    // secret store, or IDPD_KEYS_MASTER_KEY). Default: empty.
    std::string master_key;
    // When master_key is empty: read the key from this file, or generate it there (mode 0600)
    // with a loud warning. For development only: whoever can read the file can open every
    // signing key. Empty (the default): a missing master_key is an error.
    std::filesystem::path generated_key_file;
};

// The master key from `options`. Errors: invalid_key (a malformed key, no key and no file),
// internal (the file cannot be read or written).
Result<MasterKey> load_master_key(const MasterKeyOptions& options);

struct KeyStoreOptions {
    // The algs that get keys, each with its own active key (RFC 7517 §4.4: one alg per key).
    // Default: all four; clients choose among them, and RS256 is the OIDC default.
    std::vector<Alg> algs{Alg::rs256, Alg::ps256, Alg::es256, Alg::eddsa};
    // How long a key signs before the next one takes over. Default: 30 days.
    std::chrono::seconds rotation_period{std::chrono::hours(24 * 30)};
    // The least time a next key is published in the JWKS before it signs, so verifiers that
    // cache the JWKS (our Cache-Control max-age, or their own schedule) know it in time.
    // Default: 24 hours.
    std::chrono::seconds publish_ahead{std::chrono::hours(24)};
    // The longest lifetime of any token we sign: a retired key stays published this long after
    // it stopped signing. Must be at least every token TTL. Default: 24 hours.
    std::chrono::seconds max_token_lifetime{std::chrono::hours(24)};
    // How often a process asks the database whether the key set changed (one indexed read of
    // one row). Default: 5 seconds.
    std::chrono::seconds reload_interval{5};
    // RSA modulus size for RS256/PS256 keys. Default: 2048 (RFC 7518 §3.3 minimum).
    int rsa_bits = 2048;
};

enum class KeyState { next, active, retired };

std::string_view key_state_name(KeyState state);

// One stored key, as `idpd keys list` shows it. Times are seconds since the epoch, 0 when unset.
struct KeyInfo {
    std::string kid;
    Alg alg = Alg::rs256;
    KeyState state = KeyState::next;
    std::int64_t created_at = 0;    // also when it was first published
    std::int64_t activated_at = 0;  // when it started signing
    std::int64_t rotate_after = 0;  // active: when the next key may take over
    std::int64_t retired_at = 0;
    std::int64_t remove_at = 0;  // retired: when it leaves the JWKS
};

// Our signing keys: generated on first use, stored sealed under the master key, rotated with
// overlap, shared by every process on one database.
//
// Rotation runs on read: each call checks (in memory, no I/O) whether a scheduled change is
// due or the reload interval has passed, and only then touches the database. So there is no
// background thread to start and stop, the CLI and tests drive it with an injected clock, and
// every process converges on its own. A change runs in one transaction that first locks the
// signing_key_set row, so two processes never both generate or promote a key. Signing uses the
// keys cached in memory; when the database is unreachable, the cache keeps serving.
class KeyStore {
public:
    // Touches nothing yet. `db` and `master` must outlive the store.
    KeyStore(store::Database& db, const MasterKey& master, KeyStoreOptions options, Clock clock);

    KeyStore(const KeyStore&) = delete;
    KeyStore& operator=(const KeyStore&) = delete;

    // The key that signs for `alg` now. Errors: unsupported (`alg` is not configured),
    // decryption_failed (another master key), internal (database unreachable and no cache).
    Result<Key> signing_key(Alg alg);

    // The public keys a verifier may meet: active, next and retired (not yet removed).
    Result<KeySet> verification_keys();

    // The JWKS document to publish (never a private member).
    Result<nlohmann::json> jwks();

    // The same document serialised, built once per key-set change: /jwks answers from it
    // without exporting key parameters from OpenSSL on every request.
    Result<std::string> jwks_json();

    // Every stored key, active first, by alg. Also runs any due change. Errors: internal.
    Result<std::vector<KeyInfo>> list();

    // Starts a rotation of `alg` (all algs when nullopt): the next key takes over as soon as it
    // has been published for publish_ahead, which may be now. With `immediately` it takes over
    // now even if verifiers may not have fetched it yet (a compromised key). Errors: internal.
    Result<void> rotate(std::optional<Alg> alg, bool immediately);

    const KeyStoreOptions& options() const { return options_; }

private:
    struct Snapshot;

    // The cached key set, refreshed when due. Errors only when there is no cache to fall back on.
    Result<std::shared_ptr<const Snapshot>> current();
    // Makes the stored keys what the schedule says they should be at `now`; `forced` algs are
    // promoted without waiting for publish_ahead.
    Result<void> maintain(std::int64_t now, const std::vector<Alg>& due, bool immediately);
    Result<std::shared_ptr<const Snapshot>> load(std::int64_t now);
    std::int64_t now_seconds() const;

    store::Database& db_;
    const MasterKey& master_;
    KeyStoreOptions options_;
    Clock clock_;

    std::mutex refresh_mutex_;  // one refresh at a time; held across database calls
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::chrono::steady_clock::time_point next_check_{};
};

}  // namespace idpd::jose
