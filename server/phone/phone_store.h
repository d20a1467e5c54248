#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/database.h"

namespace idpd::phone {

// The verified number of an account (table user_phones, schema 0028).
struct BoundPhone {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string phone;  // E.164
    std::chrono::sys_seconds verified_at{};
};

// Bound numbers: one per account, one account per number. Build it on a transaction's `tx` to
// combine calls. Errors: store::Error (conflict, not_found, the database's own).
class PhoneStore {
public:
    explicit PhoneStore(store::Database& db) : db_(db) {}

    store::Result<std::optional<BoundPhone>> of_user(std::int64_t user_id);
    store::Result<std::optional<BoundPhone>> by_number(std::string_view e164);

    // Binds `e164` to `user_id`, replacing the number it had (a change). Errors: conflict when
    // another account holds the number (the UNIQUE key decides a race).
    store::Result<BoundPhone> bind(std::int64_t user_id, std::string_view e164,
                                   std::chrono::sys_seconds now);

    // Removes the account's number. Errors: not_found when it had none.
    store::Result<void> unbind(std::int64_t user_id);

private:
    store::Result<std::optional<BoundPhone>> find(std::string_view where, const store::Value& v);

    store::Database& db_;
};

}  // namespace idpd::phone
