#include "account/username_rules.h"

#include <algorithm>

#include <unicode/uchar.h>

#include "account/unicode_text.h"

namespace idpd::account {
namespace {

bool is_ascii_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}

bool is_allowed(char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || is_ascii_digit(c) || c == U'-' ||
        c == U'_') {
        return true;
    }
    // design.md §2: "CJK". Unified ideographs only: no CJK punctuation, no compatibility
    // ideographs (NFC has already mapped those to unified ones).
    return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_UNIFIED_IDEOGRAPH) != 0;
}

bool is_control(char32_t c) {
    const auto category = u_charType(static_cast<UChar32>(c));
    return category == U_CONTROL_CHAR || category == U_FORMAT_CHAR;
}

}  // namespace

std::string_view problem_name(UsernameProblem problem) {
    switch (problem) {
        case UsernameProblem::invalid_utf8:
            return "invalid_utf8";
        case UsernameProblem::control_character:
            return "control_character";
        case UsernameProblem::bad_character:
            return "bad_character";
        case UsernameProblem::too_short:
            return "too_short";
        case UsernameProblem::too_long:
            return "too_long";
        case UsernameProblem::all_digits:
            return "all_digits";
    }
    return "unknown";
}

std::expected<Username, std::vector<UsernameProblem>> check_username(std::string_view input) {
    auto text = to_nfc(input);
    if (!text) {
        return std::unexpected(std::vector{UsernameProblem::invalid_utf8});
    }
    // Well-formed after to_nfc(), so code_points() succeeds.
    const std::u32string points = code_points(*text).value_or(std::u32string{});
    std::vector<UsernameProblem> problems;
    if (std::ranges::any_of(points, is_control)) {
        problems.push_back(UsernameProblem::control_character);
    }
    if (std::ranges::any_of(points, [](char32_t c) { return !is_control(c) && !is_allowed(c); })) {
        problems.push_back(UsernameProblem::bad_character);
    }
    if (points.size() < min_username_length) {
        problems.push_back(UsernameProblem::too_short);
    }
    if (points.size() > max_username_length) {
        problems.push_back(UsernameProblem::too_long);
    }
    if (!points.empty() && std::ranges::all_of(points, is_ascii_digit)) {
        problems.push_back(UsernameProblem::all_digits);
    }
    if (!problems.empty()) {
        return std::unexpected(std::move(problems));
    }
    return Username{*text, fold_case(*text).value_or(std::string{})};
}

std::string canonical_username(std::string_view input) {
    return fold_case(input).value_or(std::string{});
}

}  // namespace idpd::account
