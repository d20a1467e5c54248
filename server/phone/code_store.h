#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::phone {

enum class CodePurpose { bind, sign_in };

// "bind" or "sign_in", as phone_codes.purpose stores it.
std::string_view purpose_name(CodePurpose purpose);

// How often codes may be asked for, counted over the rows of phone_codes (every request leaves
// one, whether or not an SMS went out). Defaults: a code per number per minute, at most 5 per
// number, 10 per account and 20 per address an hour; 5 wrong tries kill a code.
struct CodeLimits {
    std::chrono::seconds ttl{std::chrono::minutes(5)};
    std::chrono::seconds per_phone_gap{60};
    std::int64_t per_phone_hourly = 5;
    std::int64_t per_user_hourly = 10;
    std::int64_t per_ip_hourly = 20;
    std::int64_t max_attempts = 5;
};

// A request for a code.
struct CodeRequest {
    CodePurpose purpose = CodePurpose::bind;
    std::string phone;                    // E.164
    std::optional<std::int64_t> user_id;  // bind: the account; sign-in: the number's owner
    std::string ip;
};

// What issue() did: the six digits to send, or how long to wait (a throttle said no).
struct Issued {
    std::string code;  // empty when throttled
    std::chrono::seconds retry_after{0};

    bool throttled() const { return code.empty(); }
};

// Six-digit SMS codes (table phone_codes, schema 0028): five minutes, single use, only a
// SHA-256 stored. Errors: the database's.
class CodeStore {
public:
    CodeStore(store::Database& db, auth::RandomSource& random, CodeLimits limits = {})
        : db_(db), random_(random), limits_(limits) {}

    // Checks the throttles and, when they allow it, stores a new code for `request` (older
    // codes of the same number and purpose stop counting: only the newest is checked).
    store::Result<Issued> issue(const CodeRequest& request, std::chrono::sys_seconds now);

    // Whether `code` is the newest live code of `phone` for `purpose` (and `user_id`, when
    // given). A match is spent at once (one UPDATE decides a race); a miss counts one attempt,
    // and after max_attempts the code is dead. Returns the user_id stored with the code.
    store::Result<std::optional<std::int64_t>> redeem(CodePurpose purpose, std::string_view phone,
                                                      std::optional<std::int64_t> user_id,
                                                      std::string_view code,
                                                      std::chrono::sys_seconds now);

    // Deletes codes that expired before `before`. Returns how many.
    store::Result<std::uint64_t> delete_expired(std::chrono::sys_seconds before);

    const CodeLimits& limits() const { return limits_; }

private:
    store::Result<std::chrono::seconds> wait_for(const CodeRequest& request,
                                                 std::chrono::sys_seconds now);

    store::Database& db_;
    auth::RandomSource& random_;
    CodeLimits limits_;
};

// Six ASCII digits.
bool is_code_shape(std::string_view code);

}  // namespace idpd::phone
