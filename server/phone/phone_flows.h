#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "auth/random_source.h"
#include "phone/code_store.h"
#include "phone/phone_store.h"
#include "store/database.h"

namespace idpd::phone {

// The SMS body for a code, in the reader's language (the caller knows it).
using SmsText = std::function<std::string(const std::string& code)>;

// A code request's answer. Deliberately the same whether or not an SMS went out (a number
// another account holds, a number nobody holds): only the throttle shows.
struct Started {
    bool throttled = false;
    std::chrono::seconds retry_after{0};
};

enum class BindOutcome {
    bound,
    wrong_code,  // wrong, expired, used, or too many tries: the person asks for a new one
    taken,       // another account bound the number meanwhile
};

struct Bound {
    BindOutcome outcome = BindOutcome::wrong_code;
    std::optional<std::string> previous;  // the number this one replaced (a change)
};

enum class UnbindOutcome {
    unbound,
    none,           // no number was bound
    last_recovery,  // refused: no password and no verified email would be left
};

// Binding, changing and unbinding an account's number and signing in with it, the same for
// the pages and the JSON API. Codes go out through the outbox (notify/outbox.h) in the same
// transaction as their row. Audit is the caller's (it knows the request). Errors: the
// database's.
class PhoneFlows {
public:
    PhoneFlows(store::Database& db, auth::RandomSource& random, CodeLimits limits = {})
        : db_(db), random_(random), limits_(limits) {}

    // Sends a bind code to `e164` for `user_id`, unless another account holds the number.
    store::Result<Started> start_bind(std::int64_t user_id, const std::string& e164,
                                      const std::string& ip, const SmsText& text,
                                      std::chrono::sys_seconds now);
    // Binds `e164` when `code` is its live bind code for `user_id`; replaces the old number.
    store::Result<Bound> confirm_bind(std::int64_t user_id, const std::string& e164,
                                      const std::string& code, std::chrono::sys_seconds now);
    store::Result<UnbindOutcome> unbind(std::int64_t user_id);

    // Sends a sign-in code when an active account holds `e164`; otherwise sends nothing.
    store::Result<Started> start_sign_in(const std::string& e164, const std::string& ip,
                                         const SmsText& text, std::chrono::sys_seconds now);
    // The account whose sign-in code for `e164` is `code` (spent now); nullopt otherwise.
    store::Result<std::optional<std::int64_t>> finish_sign_in(const std::string& e164,
                                                              const std::string& code,
                                                              std::chrono::sys_seconds now);

private:
    // Stores a code row for `request` and, when `send`, queues its SMS in the same transaction.
    store::Result<Started> issue(const CodeRequest& request, bool send, const SmsText& text,
                                 std::chrono::sys_seconds now);

    store::Database& db_;
    auth::RandomSource& random_;
    CodeLimits limits_;
};

}  // namespace idpd::phone
