#include "account/password_policy.h"

#include <algorithm>

#include <unicode/uchar.h>

#include "account/common_passwords.h"
#include "account/unicode_text.h"

namespace idpd::account {
namespace {

bool is_letter(char32_t c) {
    return u_isalpha(static_cast<UChar32>(c)) != 0;
}

bool is_digit(char32_t c) {
    return u_isdigit(static_cast<UChar32>(c)) != 0;
}

// Punctuation (P*) and symbols (S*): what "symbol" means on a keyboard, in any script.
bool is_symbol(char32_t c) {
    const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
    return (mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

}  // namespace

std::optional<PasswordPreset> parse_password_preset(std::string_view name) {
    if (name == "asvs") {
        return PasswordPreset::asvs;
    }
    if (name == "console") {
        return PasswordPreset::console;
    }
    return std::nullopt;
}

std::string_view preset_name(PasswordPreset preset) {
    return preset == PasswordPreset::console ? "console" : "asvs";
}

std::string_view problem_name(PasswordProblem problem) {
    switch (problem) {
        case PasswordProblem::invalid_utf8:
            return "invalid_utf8";
        case PasswordProblem::too_short:
            return "too_short";
        case PasswordProblem::too_long:
            return "too_long";
        case PasswordProblem::contains_username:
            return "contains_username";
        case PasswordProblem::common_password:
            return "common_password";
        case PasswordProblem::needs_letter:
            return "needs_letter";
        case PasswordProblem::needs_digit:
            return "needs_digit";
        case PasswordProblem::needs_symbol:
            return "needs_symbol";
    }
    return "unknown";
}

std::size_t PasswordPolicy::min_length() const {
    // ASVS 5.0 V6.2.1: at least 8 characters. The console's rule: 7.
    return options_.preset == PasswordPreset::console ? 7 : 8;
}

std::size_t PasswordPolicy::max_length() const {
    // ASVS 5.0 V6.2.9 asks that at least 64 be allowed; 128 bounds the work of hashing. The
    // console's rule: 20.
    return options_.preset == PasswordPreset::console ? 20 : 128;
}

std::vector<PasswordProblem> PasswordPolicy::check(std::string_view password,
                                                   std::string_view username) const {
    const auto normalized = to_nfc(password);
    if (!normalized) {
        return {PasswordProblem::invalid_utf8};
    }
    const std::u32string points = code_points(*normalized).value_or(std::u32string{});
    std::vector<PasswordProblem> problems;
    if (points.size() < min_length()) {
        problems.push_back(PasswordProblem::too_short);
    }
    if (points.size() > max_length()) {
        problems.push_back(PasswordProblem::too_long);
    }
    // ASVS 5.0 V6.2.11: refuse context-specific words such as the username.
    const std::string folded_password = fold_case(*normalized).value_or(std::string{});
    const std::string folded_username = fold_case(username).value_or(std::string{});
    if (!folded_username.empty() && folded_password.find(folded_username) != std::string::npos) {
        problems.push_back(PasswordProblem::contains_username);
    }
    // ASVS 5.0 V6.2.4: refuse the most common passwords (the list holds 31,666).
    if (is_common_password(folded_password)) {
        problems.push_back(PasswordProblem::common_password);
    }
    // ASVS 5.0 V6.2.5 forbids composition rules; only the console preset, kept for operators
    // bound by the console's documented rule, has them.
    if (options_.preset == PasswordPreset::console) {
        if (std::ranges::none_of(points, is_letter)) {
            problems.push_back(PasswordProblem::needs_letter);
        }
        if (std::ranges::none_of(points, is_digit)) {
            problems.push_back(PasswordProblem::needs_digit);
        }
        if (std::ranges::none_of(points, is_symbol)) {
            problems.push_back(PasswordProblem::needs_symbol);
        }
    }
    return problems;
}

}  // namespace idpd::account
