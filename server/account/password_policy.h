#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace idpd::account {

// Which rules a new password must pass (design.md §2). Config: [passwords] policy.
enum class PasswordPreset {
    // The default, OWASP ASVS 5.0 V6.2: 8 to 128 code points of any Unicode (spaces too), not
    // the username nor containing it, not a common or breached password, no composition rules.
    asvs,
    // The console's rule, for operators who must keep it: 7 to 20 code points with at least
    // one letter, one digit and one symbol. The username and common-password checks still
    // apply: they refuse only passwords that are guessed first.
    console,
};

// "asvs" or "console" (the config's spelling); nullopt for anything else.
std::optional<PasswordPreset> parse_password_preset(std::string_view name);
std::string_view preset_name(PasswordPreset preset);

struct PasswordPolicyOptions {
    PasswordPreset preset = PasswordPreset::asvs;
};

// Each rule a password can break, reported separately so a page names every one in the user's
// language (the enumerator's name is the message key).
enum class PasswordProblem {
    invalid_utf8,       // the bytes are not UTF-8: nothing else is checked
    too_short,          // fewer code points (after NFC) than the preset's minimum
    too_long,           // more code points (after NFC) than the preset's maximum
    contains_username,  // equal to the username or containing it, ignoring case
    common_password,    // on the bundled list of common and breached passwords, ignoring case
    needs_letter,       // console preset: no letter (any script)
    needs_digit,        // console preset: no decimal digit
    needs_symbol,       // console preset: no symbol (punctuation or symbol character)
};

std::string_view problem_name(PasswordProblem problem);

// Checks new passwords (sign-up, change, reset, the operator's CLI). Thread-safe.
class PasswordPolicy {
public:
    explicit PasswordPolicy(PasswordPolicyOptions options = {}) : options_(options) {}

    // Every rule `password` breaks for the account named `username` (empty when there is no
    // username yet), in the enum's order; empty when the password is acceptable.
    std::vector<PasswordProblem> check(std::string_view password, std::string_view username) const;

    // The preset's bounds, in code points, for a page's hint ("8 to 128 characters").
    std::size_t min_length() const;
    std::size_t max_length() const;

    const PasswordPolicyOptions& options() const { return options_; }

private:
    PasswordPolicyOptions options_;
};

}  // namespace idpd::account
