#include "jose/key_store.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>
#include <utility>

#include <spdlog/spdlog.h>

#include "store/dialect.h"

namespace idpd::jose {
namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

std::unexpected<Error> database_failure(const store::Error& error) {
    return fail(ErrorCode::internal, "signing keys: database: " + error.message);
}

std::optional<KeyState> parse_state(std::string_view text) {
    for (KeyState state : {KeyState::next, KeyState::active, KeyState::retired}) {
        if (key_state_name(state) == text) {
            return state;
        }
    }
    return std::nullopt;
}

constexpr std::string_view info_columns =
    "kid, alg, state, created_at, activated_at, rotate_after, retired_at, remove_at";

// A row selected with info_columns (and possibly more after them). Nullopt for a row written by
// a newer idpd (an alg or state this binary does not know), which is then left alone.
std::optional<KeyInfo> read_info(const store::Row& row) {
    auto alg = parse_alg(row.text(1));
    auto state = parse_state(row.text(2));
    if (!alg || !state) {
        return std::nullopt;
    }
    return KeyInfo{row.text(0),    *alg,           *state,         row.integer(3),
                   row.integer(4), row.integer(5), row.integer(6), row.integer(7)};
}

int state_rank(KeyState state) {
    switch (state) {
        case KeyState::active:
            return 0;
        case KeyState::next:
            return 1;
        case KeyState::retired:
            return 2;
    }
    return 3;
}

void sort_infos(std::vector<KeyInfo>& infos) {
    std::ranges::sort(infos, [](const KeyInfo& a, const KeyInfo& b) {
        return std::tuple(static_cast<int>(a.alg), state_rank(a.state), -a.created_at) <
               std::tuple(static_cast<int>(b.alg), state_rank(b.state), -b.created_at);
    });
}

}  // namespace

std::string_view key_state_name(KeyState state) {
    switch (state) {
        case KeyState::next:
            return "next";
        case KeyState::active:
            return "active";
        case KeyState::retired:
            return "retired";
    }
    return "unknown";
}

struct KeyStore::Snapshot {
    std::int64_t version = 0;
    std::vector<KeyInfo> infos;
    std::vector<Key> active;     // private keys, one per alg
    KeySet published;            // public keys: active, next, retired
    std::string published_jwks;  // `published` as a JWKS document, serialised
    std::int64_t next_change_at = never;
};

KeyStore::KeyStore(store::Database& db, const MasterKey& master, KeyStoreOptions options,
                   Clock clock)
    : db_(db), master_(master), options_(std::move(options)), clock_(std::move(clock)) {}

std::int64_t KeyStore::now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

Result<Key> KeyStore::signing_key(Alg alg) {
    auto snapshot = current();
    if (!snapshot) {
        return std::unexpected(snapshot.error());
    }
    for (const Key& key : (*snapshot)->active) {
        if (key.alg() == alg) {
            return key;
        }
    }
    return fail(ErrorCode::unsupported,
                "no active signing key for " + std::string(alg_name(alg)) + " (not configured)");
}

Result<KeySet> KeyStore::verification_keys() {
    auto snapshot = current();
    if (!snapshot) {
        return std::unexpected(snapshot.error());
    }
    return (*snapshot)->published;
}

Result<nlohmann::json> KeyStore::jwks() {
    auto snapshot = current();
    if (!snapshot) {
        return std::unexpected(snapshot.error());
    }
    return (*snapshot)->published.to_jwks();
}

Result<std::string> KeyStore::jwks_json() {
    auto snapshot = current();
    if (!snapshot) {
        return std::unexpected(snapshot.error());
    }
    return (*snapshot)->published_jwks;
}

Result<std::vector<KeyInfo>> KeyStore::list() {
    if (auto snapshot = current(); !snapshot) {
        return std::unexpected(snapshot.error());
    }
    auto rows = db_.query("SELECT " + std::string(info_columns) + " FROM signing_keys", {});
    if (!rows) {
        return database_failure(rows.error());
    }
    std::vector<KeyInfo> infos;
    for (const auto& row : *rows) {
        if (auto info = read_info(row)) {
            infos.push_back(std::move(*info));
        }
    }
    sort_infos(infos);
    return infos;
}

Result<void> KeyStore::rotate(std::optional<Alg> alg, bool immediately) {
    std::vector<Alg> algs = alg ? std::vector<Alg>{*alg} : options_.algs;
    std::lock_guard refresh(refresh_mutex_);
    if (auto done = maintain(now_seconds(), algs, immediately); !done) {
        return done;
    }
    std::lock_guard lock(snapshot_mutex_);
    next_check_ = {};  // reload on the next read
    return {};
}

Result<std::shared_ptr<const KeyStore::Snapshot>> KeyStore::current() {
    const std::int64_t now = now_seconds();
    const auto steady = std::chrono::steady_clock::now();
    auto is_fresh = [&](const std::shared_ptr<const Snapshot>& snapshot) {
        return snapshot != nullptr && steady < next_check_ && now < snapshot->next_change_at;
    };
    std::shared_ptr<const Snapshot> snapshot;
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot = snapshot_;
        if (is_fresh(snapshot)) {
            return snapshot;
        }
    }
    // One thread refreshes; while it does, the others keep signing with the cached keys.
    std::unique_lock refresh(refresh_mutex_, std::defer_lock);
    if (snapshot != nullptr) {
        if (!refresh.try_lock()) {
            return snapshot;
        }
    } else {
        refresh.lock();
    }
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot = snapshot_;
        if (is_fresh(snapshot)) {
            return snapshot;
        }
    }
    auto keep_cache = [&](const Error& error) -> Result<std::shared_ptr<const Snapshot>> {
        if (snapshot == nullptr) {
            return std::unexpected(error);
        }
        spdlog::warn("signing keys: refresh failed, still using the cached keys: {}", error.detail);
        std::lock_guard lock(snapshot_mutex_);
        next_check_ = steady + std::chrono::seconds(1);
        return snapshot;
    };
    if (snapshot == nullptr || now >= snapshot->next_change_at) {
        if (auto done = maintain(now, {}, false); !done) {
            return keep_cache(done.error());
        }
    } else {
        auto version = db_.query("SELECT version FROM signing_key_set WHERE id = 1", {});
        if (!version || version->empty()) {
            return keep_cache(version ? Error{ErrorCode::internal, "signing_key_set is empty"}
                                      : Error{ErrorCode::internal, version.error().message});
        }
        if (version->front().integer(0) == snapshot->version) {
            std::lock_guard lock(snapshot_mutex_);
            next_check_ = steady + options_.reload_interval;
            return snapshot;
        }
    }
    auto loaded = load(now);
    if (!loaded) {
        return keep_cache(loaded.error());
    }
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = *loaded;
    next_check_ = steady + options_.reload_interval;
    return snapshot_;
}

Result<std::shared_ptr<const KeyStore::Snapshot>> KeyStore::load(std::int64_t now) {
    auto version = db_.query("SELECT version FROM signing_key_set WHERE id = 1", {});
    if (!version) {
        return database_failure(version.error());
    }
    if (version->empty()) {
        return fail(ErrorCode::internal, "signing_key_set is empty: run idpd migrate");
    }
    auto rows = db_.query(
        "SELECT " + std::string(info_columns) + ", sealed_private_key FROM signing_keys", {});
    if (!rows) {
        return database_failure(rows.error());
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->version = version->front().integer(0);
    std::vector<Key> next;
    std::vector<Key> retired;
    for (const auto& row : *rows) {
        auto info = read_info(row);
        if (!info) {
            continue;
        }
        auto der = open(master_, info->kid, row.text(8));
        if (!der) {
            return fail(der.error().code,
                        "signing key " + info->kid + " does not open: " + der.error().detail);
        }
        auto key = Key::from_pkcs8(*der, info->alg, info->kid);
        if (!key) {
            return std::unexpected(key.error());
        }
        auto public_key = key->public_key();
        if (!public_key) {
            return std::unexpected(public_key.error());
        }
        switch (info->state) {
            case KeyState::active:
                snapshot->active.push_back(std::move(*key));
                break;
            case KeyState::next:
                next.push_back(std::move(*public_key));
                break;
            case KeyState::retired:
                retired.push_back(std::move(*public_key));
                snapshot->next_change_at = std::min(snapshot->next_change_at, info->remove_at);
                break;
        }
        snapshot->infos.push_back(std::move(*info));
    }
    sort_infos(snapshot->infos);
    // When the schedule next asks for a change: a missing key, a due promotion.
    for (Alg alg : options_.algs) {
        const KeyInfo* active = nullptr;
        const KeyInfo* upcoming = nullptr;
        for (const KeyInfo& info : snapshot->infos) {
            if (info.alg == alg && info.state == KeyState::active) {
                active = &info;
            } else if (info.alg == alg && info.state == KeyState::next) {
                upcoming = &info;
            }
        }
        const std::int64_t due =
            active == nullptr || upcoming == nullptr
                ? now
                : std::max(active->rotate_after,
                           upcoming->created_at + options_.publish_ahead.count());
        snapshot->next_change_at = std::min(snapshot->next_change_at, due);
    }
    std::vector<Key> published;
    for (const Key& key : snapshot->active) {
        auto public_key = key.public_key();
        if (!public_key) {
            return std::unexpected(public_key.error());
        }
        published.push_back(std::move(*public_key));
    }
    std::ranges::move(next, std::back_inserter(published));
    std::ranges::move(retired, std::back_inserter(published));
    snapshot->published = KeySet(std::move(published));
    snapshot->published_jwks = snapshot->published.to_jwks().dump();
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Result<void> KeyStore::maintain(std::int64_t now, const std::vector<Alg>& due, bool immediately) {
    std::optional<Error> key_error;
    auto done = db_.transaction([&](store::Database& tx) -> store::Result<void> {
        key_error.reset();
        // Locks the one row every key change bumps: concurrent maintainers queue here, and the
        // second finds the work done (SQLite's BEGIN IMMEDIATE already serialises them).
        auto locked = tx.query("SELECT version FROM signing_key_set WHERE id = 1" +
                                   std::string(store::for_update(tx.dialect())),
                               {});
        if (!locked) {
            return std::unexpected(locked.error());
        }
        auto rows = tx.query("SELECT " + std::string(info_columns) + " FROM signing_keys", {});
        if (!rows) {
            return std::unexpected(rows.error());
        }
        std::vector<KeyInfo> infos;
        for (const auto& row : *rows) {
            if (auto info = read_info(row)) {
                infos.push_back(std::move(*info));
            }
        }
        bool changed = false;
        auto promote = [&](KeyInfo& key) -> store::Result<void> {
            key.state = KeyState::active;
            auto updated = tx.execute(
                "UPDATE signing_keys SET state = 'active', activated_at = ?, rotate_after = ? "
                "WHERE kid = ?",
                {now, now + options_.rotation_period.count(), key.kid});
            if (!updated) {
                return std::unexpected(updated.error());
            }
            changed = true;
            return {};
        };
        auto generate = [&](Alg alg, KeyState state) -> store::Result<void> {
            auto key = Key::generate(alg, {}, options_.rsa_bits);
            auto der = key ? key->to_pkcs8() : Result<std::string>(std::unexpected(key.error()));
            auto sealed = der ? seal(master_, key->kid(), *der)
                              : Result<std::string>(std::unexpected(der.error()));
            if (!sealed) {
                key_error = sealed.error();
                return store::fail(store::Error::Kind::invalid, sealed.error().detail);
            }
            const bool active = state == KeyState::active;
            auto inserted = tx.execute(
                "INSERT INTO signing_keys (kid, alg, state, sealed_private_key, created_at, "
                "activated_at, rotate_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {key->kid(), std::string(alg_name(alg)), std::string(key_state_name(state)),
                 store::Blob{std::move(*sealed)}, now,
                 active ? store::Value(now) : store::Value(nullptr),
                 active ? store::Value(now + options_.rotation_period.count())
                        : store::Value(nullptr)});
            if (!inserted) {
                return std::unexpected(inserted.error());
            }
            spdlog::info("signing keys: generated {} {} key {}", key_state_name(state),
                         alg_name(alg), key->kid());
            changed = true;
            return {};
        };
        for (Alg alg : options_.algs) {
            KeyInfo* active = nullptr;
            KeyInfo* upcoming = nullptr;
            for (KeyInfo& info : infos) {
                if (info.alg == alg && info.state == KeyState::active) {
                    active = &info;
                } else if (info.alg == alg && info.state == KeyState::next) {
                    upcoming = &info;
                }
            }
            const bool rotate_now = std::ranges::find(due, alg) != due.end();
            if (active != nullptr && rotate_now && active->rotate_after > now) {
                auto updated = tx.execute("UPDATE signing_keys SET rotate_after = ? WHERE kid = ?",
                                          {now, active->kid});
                if (!updated) {
                    return std::unexpected(updated.error());
                }
                active->rotate_after = now;
                changed = true;
            }
            const bool promotion_due =
                active != nullptr && upcoming != nullptr && now >= active->rotate_after &&
                ((rotate_now && immediately) ||
                 now >= upcoming->created_at + options_.publish_ahead.count());
            if (promotion_due) {
                // The old key keeps verifying what it signed until all of that has expired.
                auto retired = tx.execute(
                    "UPDATE signing_keys SET state = 'retired', retired_at = ?, remove_at = ? "
                    "WHERE kid = ?",
                    {now, now + options_.max_token_lifetime.count(), active->kid});
                if (!retired) {
                    return std::unexpected(retired.error());
                }
                spdlog::info("signing keys: {} key {} retired, {} takes over", alg_name(alg),
                             active->kid, upcoming->kid);
                active = nullptr;
            }
            if (active == nullptr && upcoming != nullptr) {
                if (auto promoted = promote(*upcoming); !promoted) {
                    return promoted;
                }
                active = upcoming;
                upcoming = nullptr;
            }
            if (active == nullptr) {
                // First start: nothing can have been signed yet, so the first key signs at once.
                if (auto generated = generate(alg, KeyState::active); !generated) {
                    return generated;
                }
            }
            if (upcoming == nullptr) {
                if (auto generated = generate(alg, KeyState::next); !generated) {
                    return generated;
                }
            }
        }
        auto removed = tx.execute(
            "DELETE FROM signing_keys WHERE state = 'retired' AND remove_at <= ?", {now});
        if (!removed) {
            return std::unexpected(removed.error());
        }
        changed = changed || removed->affected_rows > 0;
        if (changed) {
            auto bumped =
                tx.execute("UPDATE signing_key_set SET version = version + 1 WHERE id = 1", {});
            if (!bumped) {
                return std::unexpected(bumped.error());
            }
        }
        return {};
    });
    if (key_error) {
        return std::unexpected(*key_error);
    }
    if (!done) {
        return database_failure(done.error());
    }
    return {};
}

}  // namespace idpd::jose
