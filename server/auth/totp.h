// TOTP (RFC 6238) over HOTP (RFC 4226): the codes an authenticator app shows, the secret it
// shares with us, and the otpauth:// URI that carries that secret to the app. Pure functions:
// time and randomness come from the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random_source.h"

namespace idpd::auth {

// The parameters every authenticator app supports (Google Authenticator ignores any others):
// HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch (RFC 6238 §4, T0 = 0).
inline constexpr std::chrono::seconds totp_period{30};
inline constexpr int totp_digits = 6;
// RFC 4226 §4 R6: at least 128 bits, 160 recommended; 160 is also SHA-1's block-free key size.
inline constexpr std::size_t totp_secret_bytes = 20;
// RFC 6238 §5.2: accept one step either side, for clock drift and typing time.
inline constexpr int totp_window = 1;

// A fresh 160-bit shared secret (raw bytes) from `random`.
std::string generate_totp_secret(RandomSource& random);

// RFC 4226 §5.3: the HOTP value of `secret` at `counter`, `digits` (6–8) decimal digits,
// zero-padded.
std::string hotp(std::string_view secret, std::uint64_t counter, int digits = totp_digits);

// RFC 6238 §4.2: the time step T = floor(unix_time / 30) that `now` falls in.
std::int64_t totp_step(std::chrono::sys_seconds now);

// The TOTP code at `now`: hotp(secret, totp_step(now), digits).
std::string totp(std::string_view secret, std::chrono::sys_seconds now, int digits = totp_digits);

// The time step in [step(now) − 1, step(now) + 1] whose code is `code`, taking only steps
// greater than `after_step` (the last step already accepted, so a code is usable once); the
// earliest such step when several match. Every candidate is computed and compared in constant
// time whatever matches. nullopt when `code` is not six digits or matches no such step.
std::optional<std::int64_t> match_totp(
    std::string_view secret, std::string_view code, std::chrono::sys_seconds now,
    std::int64_t after_step = std::numeric_limits<std::int64_t>::min());

// Whether `a` and `b` are equal, in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// RFC 4648 §6 base32 (A–Z, 2–7) without padding: how the secret is typed in by hand.
std::string base32_encode(std::string_view bytes);

// The bytes of base32 `text`: letters of either case, trailing '=' padding allowed, nothing
// else (no spaces). nullopt when `text` is not base32 or its length cannot be (RFC 4648 §6:
// 1, 3 or 6 characters in the last group), or its unused trailing bits are not zero.
std::optional<std::string> base32_decode(std::string_view text);

// The Key Uri Format URI an authenticator app reads from the QR code:
// otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30
// with the issuer and account percent-encoded (RFC 3986: everything but unreserved characters)
// in both the label and the parameter.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace idpd::auth
