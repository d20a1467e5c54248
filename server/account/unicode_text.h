#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idpd::account {

// The Unicode steps that usernames, emails and passwords share, done with ICU. Every function
// takes UTF-8 and refuses (nullopt) ill-formed UTF-8: overlong forms, surrogates, truncated
// sequences, and code points above U+10FFFF.

// The NFC form (Unicode Standard Annex #15), so that "é" typed as one or two code points
// compares and counts the same.
std::optional<std::string> to_nfc(std::string_view utf8);

// The form that compares equal when two texts differ only in case and normalisation:
// NFC, then full Unicode case folding (CaseFolding.txt, C+F), then NFC again. "Alice" and
// "ALICE" fold to "alice"; ideographs are unchanged.
std::optional<std::string> fold_case(std::string_view utf8);

// The code points of `utf8`; nullopt when ill-formed.
std::optional<std::u32string> code_points(std::string_view utf8);

}  // namespace idpd::account
