#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "federation/connector.h"
#include "store/database.h"

namespace idpd::federation {

// One upstream identity bound to one local account.
struct Binding {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string provider;
    std::string subject;
    std::string username;
    std::string display_name;
    std::chrono::sys_seconds created_at{};
};

enum class BindOutcome {
    bound,           // new, or this identity was already bound to this account
    identity_taken,  // bound to another account (also when that bind won a race just now)
    provider_taken,  // the account already has an identity of this provider
};

enum class UnbindOutcome {
    unbound,
    not_found,    // the account has no such binding
    last_method,  // no password and no other binding: the account could not sign in again
};

// What the billing issue credits: the first WeChat binding of an account.
inline constexpr std::string_view wechat_bonus_kind = "wechat_first_binding";

// Credits a bonus event to the account, inside the transaction `tx` that records it (billing
// does, as quota: web/site.h wires it). Called at most once per event: the event's credited_at
// is set by a conditional UPDATE first. An error rolls the binding back.
using BonusGrant = std::function<store::Result<void>(store::Database& tx, std::int64_t user_id,
                                                     std::chrono::sys_seconds now)>;

// Tables federation_identities and federation_bonus_events (schema/*/0020_federation.sql).
// UNIQUE (provider, subject) makes one upstream identity bind to at most one account, also
// under concurrent binds; UNIQUE (user_id, provider) keeps one identity per provider and
// account. Times come from the caller. Errors are store::Error.
class BindingStore {
public:
    explicit BindingStore(store::Database& db, BonusGrant grant = {})
        : db_(db), grant_(std::move(grant)) {}

    // The binding of `identity`: by subject, else by one of its previous subjects, in which case
    // the row moves to the current subject (a WeChat account first bound by openid is found
    // when its unionid appears). Nullopt when it is bound to no account.
    store::Result<std::optional<Binding>> find(const UpstreamIdentity& identity);

    // Binds `identity` to `user_id` in one transaction (inline when db is already one). The
    // first WeChat binding of an account also records a wechat_first_binding bonus event,
    // once per account ever, and credits it through the BonusGrant in the same transaction.
    store::Result<BindOutcome> bind(std::int64_t user_id, const UpstreamIdentity& identity,
                                    std::chrono::sys_seconds now);

    // The account's bindings, oldest first.
    store::Result<std::vector<Binding>> list(std::int64_t user_id);

    // Removes binding `binding_id` of `user_id` unless it is the account's last way to sign in.
    // The user row is locked first, so two concurrent unbinds cannot both pass the check.
    store::Result<UnbindOutcome> unbind(std::int64_t user_id, std::int64_t binding_id);

    // How many bonus events of `kind` the account has (0 or 1); for billing and tests.
    store::Result<std::int64_t> bonus_events(std::int64_t user_id, std::string_view kind);

private:
    store::Database& db_;
    BonusGrant grant_;
};

}  // namespace idpd::federation
