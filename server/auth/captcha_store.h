#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/random_source.h"
#include "store/database.h"

namespace idpd::auth {

// Config: [captcha].
struct CaptchaOptions {
    bool enabled = true;                                 // sign-up asks for the code in an image
    std::chrono::seconds ttl{std::chrono::minutes(10)};  // how long one image can be answered
};

// What an answer to a challenge came to.
enum class CaptchaVerdict {
    passed,
    wrong,    // the code differs (the challenge is used up all the same)
    expired,  // older than the ttl
    used,     // answered before: every challenge is answered once
    unknown,  // no such challenge (or not one of our ids)
};

// Sign-up challenges, answered once and expiring: table captchas (schema 0012). A challenge id
// is 128 random bits from `ids`, given to the page as 32 hex digits; the store keeps only its
// SHA-256, the answer as SHA-256 over the id and the upper-case code, and the drawn SVG.
// `codes` draws the code and its picture: production passes the system generator for both;
// tests pass a fixed source for `codes`, so they know the answer without any back door in the
// running code. Times come from the caller. Errors are store::Error.
class CaptchaStore {
public:
    CaptchaStore(store::Database& db, RandomSource& ids, RandomSource& codes,
                 CaptchaOptions options)
        : db_(db), ids_(ids), codes_(codes), options_(options) {}

    const CaptchaOptions& options() const { return options_; }

    // A new challenge at `now`; returns its id (the image is GET /captcha/<id>).
    store::Result<std::string> issue(std::chrono::sys_seconds now);

    // The SVG of challenge `id` while it can still be answered. Errors: not_found when it is
    // unknown, answered or expired.
    store::Result<std::string> image(std::string_view id, std::chrono::sys_seconds now);

    // Answers challenge `id` with `answer` (compared ignoring ASCII case and surrounding
    // spaces). Whatever the verdict, the challenge cannot be answered again: one UPDATE ...
    // WHERE used_at IS NULL AND expires_at > now decides, so two racing answers pass at most
    // once.
    store::Result<CaptchaVerdict> check(std::string_view id, std::string_view answer,
                                        std::chrono::sys_seconds now);

    // Deletes challenges that expired before `now`. Returns how many.
    store::Result<std::uint64_t> sweep(std::chrono::sys_seconds now);

private:
    store::Database& db_;
    RandomSource& ids_;
    RandomSource& codes_;
    CaptchaOptions options_;
};

}  // namespace idpd::auth
