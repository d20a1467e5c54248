// Authentication levels (OIDC Core §2 acr) and methods (RFC 8176 amr) of a session, as the
// relying parties and the sensitive-operation guard see them. Pure functions of the session.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace idpd::auth {

// The two levels idpd asserts, REFEDS's published profile URIs (https://refeds.org/profile/sfa and
// https://refeds.org/profile/mfa), which R&E and commercial RPs already recognise: a password
// alone is single-factor; a password and a TOTP or recovery code (two independent factors,
// something known and something held) is the MFA profile.
inline constexpr std::string_view acr_password = "https://refeds.org/profile/sfa";
inline constexpr std::string_view acr_mfa = "https://refeds.org/profile/mfa";

// Whether `mfa_at` (the session's last second factor) still counts at `now`: the MFA level
// holds for `lifetime`, then must be proved again (unlike Keycloak's acr, it drops).
bool mfa_is_current(std::optional<std::chrono::sys_seconds> mfa_at, std::chrono::sys_seconds now,
                    std::chrono::seconds lifetime);

// The acr of a session: acr_mfa while its second factor is current, else acr_password.
std::string_view session_acr(std::optional<std::chrono::sys_seconds> mfa_at,
                             std::chrono::sys_seconds now, std::chrono::seconds lifetime);

// The RFC 8176 methods to assert: `amr` as stored while the MFA level is current; once it
// has lapsed, only the first factor's methods (everything but otp, mfa), so amr and acr agree.
std::string current_amr(std::string_view amr, std::optional<std::chrono::sys_seconds> mfa_at,
                        std::chrono::sys_seconds now, std::chrono::seconds lifetime);

// The methods after a second factor on top of `first_factor`: "otp" for a TOTP code, nothing
// extra for a recovery code, then "mfa" (RFC 8176 §2: more than one factor), without repeats.
std::string with_second_factor(std::string_view first_factor, bool totp_code);

}  // namespace idpd::auth
