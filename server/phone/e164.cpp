#include "phone/e164.h"

namespace idpd::phone {
namespace {

constexpr std::size_t min_digits = 8;  // with the country code
constexpr std::size_t max_digits = 15;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

// A mainland mobile number after +86: 1, then 3 to 9, then nine more digits.
bool is_mainland_mobile(std::string_view digits) {
    return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

}  // namespace

std::string_view problem_name(NumberProblem problem) {
    switch (problem) {
        case NumberProblem::empty:
            return "empty";
        case NumberProblem::invalid_character:
            return "invalid_character";
        case NumberProblem::no_country_code:
            return "no_country_code";
        case NumberProblem::invalid_length:
            return "invalid_length";
        case NumberProblem::invalid_country:
            return "invalid_country";
        case NumberProblem::invalid_mainland:
            return "invalid_mainland";
    }
    return "invalid_character";
}

std::expected<std::string, NumberProblem> normalize_e164(std::string_view typed) {
    std::string digits;
    bool plus = false;
    bool seen_digit = false;
    for (char c : typed) {
        if (is_digit(c)) {
            digits.push_back(c);
            seen_digit = true;
        } else if (c == '+' && !plus && !seen_digit) {
            plus = true;
        } else if (!is_separator(c)) {
            return std::unexpected(NumberProblem::invalid_character);
        }
        if (digits.size() > 2 * max_digits) {
            return std::unexpected(NumberProblem::invalid_length);
        }
    }
    if (digits.empty()) {
        return std::unexpected(plus ? NumberProblem::invalid_length : NumberProblem::empty);
    }
    if (!plus && digits.starts_with("00")) {
        plus = true;
        digits.erase(0, 2);
    } else if (!plus) {
        if (digits.size() == 11 && digits[0] == '1') {
            if (!is_mainland_mobile(digits)) {
                return std::unexpected(NumberProblem::invalid_mainland);
            }
            return "+86" + digits;
        }
        return std::unexpected(NumberProblem::no_country_code);
    }
    if (digits.size() < min_digits || digits.size() > max_digits) {
        return std::unexpected(NumberProblem::invalid_length);
    }
    if (digits[0] == '0') {
        return std::unexpected(NumberProblem::invalid_country);
    }
    if (digits.starts_with("861") && !is_mainland_mobile(std::string_view(digits).substr(2))) {
        return std::unexpected(NumberProblem::invalid_mainland);
    }
    return "+" + digits;
}

std::string masked(std::string_view e164) {
    if (e164.size() < 8) {
        return std::string(e164);
    }
    // The country code is not parsed here; +86 is the common case and shown apart.
    const std::size_t cc = e164.starts_with("+86") ? 3 : 1;
    const std::string_view national = e164.substr(cc);
    const std::size_t keep_head = national.size() > 7 ? 3 : 2;
    const std::size_t keep_tail = 4;
    std::string out(e164.substr(0, cc));
    if (cc > 1) {
        out.push_back(' ');
    }
    out += national.substr(0, keep_head);
    out += std::string(national.size() - keep_head - keep_tail, '*');
    out += national.substr(national.size() - keep_tail);
    return out;
}

}  // namespace idpd::phone
