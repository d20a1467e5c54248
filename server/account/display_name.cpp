#include "account/display_name.h"

#include "account/unicode_text.h"

namespace idpd::account {

std::string_view problem_name(DisplayNameProblem problem) {
    switch (problem) {
        case DisplayNameProblem::too_long:
            return "too_long";
        case DisplayNameProblem::invalid_utf8:
            return "invalid_utf8";
        case DisplayNameProblem::control_character:
            return "control_character";
        case DisplayNameProblem::markup:
            return "markup";
    }
    return "invalid_utf8";
}

std::expected<std::string, DisplayNameProblem> check_display_name(std::string_view input) {
    if (input.size() > max_display_name_bytes * 2) {
        return std::unexpected(DisplayNameProblem::too_long);
    }
    auto points = code_points(input);
    auto nfc = to_nfc(input);
    if (!points || !nfc) {
        return std::unexpected(DisplayNameProblem::invalid_utf8);
    }
    for (char32_t c : *points) {
        // C0, DEL, C1, and the line/paragraph separators that break a page's layout.
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            return std::unexpected(DisplayNameProblem::control_character);
        }
        if (c == '<' || c == '>') {
            return std::unexpected(DisplayNameProblem::markup);
        }
    }
    const auto first = nfc->find_first_not_of(' ');
    std::string trimmed = first == std::string::npos
                              ? ""
                              : nfc->substr(first, nfc->find_last_not_of(' ') - first + 1);
    if (trimmed.size() > max_display_name_bytes) {
        return std::unexpected(DisplayNameProblem::too_long);
    }
    return trimmed;
}

}  // namespace idpd::account
