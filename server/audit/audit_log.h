// audit: the security events of accounts — sign-ups, sign-ins and their failures, throttling,
// sign-outs, revoked sessions, password resets, verified emails — kept in the database (table
// audit_events) for operators
// (`idpd audit tail`). Knows no HTTP: callers hand in the IP and User-Agent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace idpd::audit {

// What happened. The stored name (type_name) is what `idpd audit tail --type` takes.
enum class EventType {
    sign_up,            // "sign_up": an account was created
    sign_in_success,    // "sign_in.success"
    sign_in_failure,    // "sign_in.failure": unknown account, wrong password, disabled account
    sign_in_throttled,  // "sign_in.throttled": refused before any check (too many failures)
    sign_out,           // "sign_out"
    session_revoke,     // "session.revoke": a session ended from the account page
    // "password_reset.requested": the forgot-password form was sent; user_id when it named an
    // active account, detail.mailed says whether a link went out (never shown to the person).
    password_reset_requested,
    password_reset_completed,    // "password_reset.completed": a link set a new password
    email_verified,              // "email.verified": a verification link was confirmed
    billing_payment_refused,     // "billing.payment_refused": a payment notice or confirmation
                                 // refused (bad signature, amount differs, unknown order)
    billing_payment_confirmed,   // "billing.payment_confirmed": an order credited
    second_factor_success,       // "second_factor.success": a TOTP or recovery code was accepted
    second_factor_failure,       // "second_factor.failure": wrong, replayed or throttled code
    recovery_code_used,          // "recovery_code.used": one recovery code was spent
    totp_enabled,                // "totp.enabled": two-step verification was turned on
    totp_disabled,               // "totp.disabled"
    recovery_codes_regenerated,  // "recovery_codes.regenerated": the old set is void
    // Organizations (server/org); detail.org_id, and detail.target for the member acted on.
    org_created,                       // "org.created"
    org_invited,                       // "org.invited": detail.invitation_id, role
    org_invitation_revoked,            // "org.invitation_revoked"
    org_joined,                        // "org.joined": an invitation was accepted
    org_role_changed,                  // "org.role_changed": detail.role
    org_member_removed,                // "org.member_removed"
    org_left,                          // "org.left"
    org_transferred,                   // "org.transferred": detail.target is the new owner
    org_deleted,                       // "org.deleted"
    phone_bound,                       // "phone.bound": a number bound or changed (detail.previous)
    phone_unbound,                     // "phone.unbound"
    api_key_created,                   // "api_key.created": detail: id, scopes, org_id
    api_key_revoked,                   // "api_key.revoked"
    notification_preferences_changed,  // "notification_preferences.changed"
    // The account center (web/account_*_pages.h):
    username_changed,         // "account.username_changed": detail.from, detail.to
    display_name_changed,     // "account.display_name_changed"
    email_added,              // "email.added": identifier = the address (unverified yet)
    email_removed,            // "email.removed"
    email_primary_changed,    // "email.primary_changed"
    password_changed,         // "password.changed": from the account center (old password known)
    password_set,             // "password.set": a first password for an account made upstream
    email_code_sent,          // "step_up.email_code_sent": a step-up code mailed
    avatar_changed,           // "account.avatar_changed": detail.change (type, url, removed)
    billing_coupon_redeemed,  // "billing.coupon_redeemed": through the account API
    // WeChat official-account link of notices (notify/wechat_link_store.h):
    wechat_mp_linked,    // "wechat_mp.linked": a scan event linked a follower openid
    wechat_mp_unlinked,  // "wechat_mp.unlinked": detail.reason: user, unsubscribe, moved
    // Account deletion (web/deletion_pages.h, app/account_deletion.h):
    account_deletion_scheduled,  // "account.deletion_scheduled": detail.at (epoch seconds)
    account_deletion_cancelled,  // "account.deletion_cancelled": detail.by (user or sweep)
    account_deleted,             // "account.deleted": by the sweep, after the grace period
};

std::string_view type_name(EventType type);
std::optional<EventType> parse_type(std::string_view name);
// Every name, in the enum's order (for help texts and errors).
std::vector<std::string_view> type_names();

// One event as the caller knows it.
struct Event {
    EventType type = EventType::sign_in_failure;
    std::optional<std::int64_t> user_id;  // when the account is known
    std::string identifier;               // failures: the username or email tried; never a password
    std::string ip;
    std::string user_agent;                            // cut to 256 bytes when stored
    nlohmann::json detail = nlohmann::json::object();  // a JSON object: more about the event
};

// One stored event.
struct Record {
    std::int64_t id = 0;
    std::chrono::sys_seconds occurred_at{};
    std::string type;  // a type_name(), or a name a newer idpd wrote
    std::optional<std::int64_t> user_id;
    std::optional<std::string> identifier;
    std::string ip;
    std::string user_agent;
    std::string detail;  // JSON text
};

// Appends `event`, at `now`. `db` may be the `tx` of a transaction, so the event commits or
// rolls back with the change it describes. Text is stored as printable ASCII (other bytes
// become '?') except the identifier, which is kept as typed (already checked UTF-8) up to 254
// bytes. Errors: the database's.
store::Result<void> record(store::Database& db, const Event& event, std::chrono::sys_seconds now);

// Which events tail() returns.
struct Filter {
    std::size_t limit = 20;  // the newest `limit` events
    std::optional<std::int64_t> user_id;
    std::optional<std::string> type;  // a type_name()
};

// The newest events matching `filter`, oldest first (newest last). Errors: the database's.
store::Result<std::vector<Record>> tail(store::Database& db, const Filter& filter);

}  // namespace idpd::audit
