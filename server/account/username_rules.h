// account: who the users are — usernames, emails, passwords rules, and the users' storage
// (later: phones, avatars, API keys, preferences). Knows no HTTP and no page.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace idpd::account {

// The rules of design.md §2 (Accounts), checked one by one so a page can name each one that
// fails, in the user's language (the enumerator's name is the message key).
enum class UsernameProblem {
    invalid_utf8,       // the bytes are not UTF-8: nothing else is checked
    control_character,  // a control or format character (Cc, Cf): invisible, never allowed
    bad_character,      // a character other than CJK ideographs, A-Z, a-z, 0-9, '-', '_'
    too_short,          // fewer than min_username_length code points (after NFC)
    too_long,           // more than max_username_length code points (after NFC)
    all_digits,         // only digits: it would read as a numeric user ID
};

std::string_view problem_name(UsernameProblem problem);

constexpr std::size_t min_username_length = 4;
constexpr std::size_t max_username_length = 20;

// A username that passed every rule.
struct Username {
    std::string text;       // NFC form, as the user wrote it otherwise; shown and stored
    std::string canonical;  // fold_case(text): what uniqueness and look-ups compare
};

// Checks `input` against the rules: 4 to 20 code points after NFC, each a CJK unified
// ideograph (Unicode property Unified_Ideograph, which covers U+4E00..U+9FFF and the
// extensions), an ASCII letter or digit, '-' or '_'; not digits only. Returns the username,
// or every rule it breaks, in the enum's order.
std::expected<Username, std::vector<UsernameProblem>> check_username(std::string_view input);

// The canonical form of any text typed where a username is expected (sign-in, look-ups),
// without checking the rules: an invalid name simply matches nobody. Empty for ill-formed
// UTF-8, which matches nobody either.
std::string canonical_username(std::string_view input);

}  // namespace idpd::account
