#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace idpd::account {

// What can be wrong with a display name. The enumerator's name matches the pages' input
// problems (errors.input.<name>).
enum class DisplayNameProblem { too_long, invalid_utf8, control_character, markup };

std::string_view problem_name(DisplayNameProblem problem);

// A display name is shown, never parsed or compared: any text up to this many bytes of UTF-8
// (about 20 CJK characters), without controls or markup characters.
inline constexpr std::size_t max_display_name_bytes = 64;

// The name in NFC with surrounding spaces removed (empty clears it), or its first problem.
std::expected<std::string, DisplayNameProblem> check_display_name(std::string_view input);

}  // namespace idpd::account
