#pragma once

#include <string>
#include <string_view>

#include "auth/random_source.h"

namespace idpd::auth {

// The captcha code's characters: none that a reader could take for another (no 0/O/D/Q,
// 1/I/L, 2/Z, 5/S, 6/G, 8/B), so a case-insensitive compare is fair.
inline constexpr std::string_view captcha_alphabet = "ACEFHJKMNPRTUVWXY3479";
inline constexpr std::size_t captcha_length = 5;
inline constexpr int captcha_width = 180;
inline constexpr int captcha_height = 60;

// A code of captcha_length characters of captcha_alphabet, uniformly drawn from `random`.
std::string captcha_code(RandomSource& random);

// `code` (characters of captcha_alphabet) as an SVG image of captcha_width × captcha_height:
// each glyph of a small built-in stroke font turned, moved and its points jittered at random,
// crossed by random noise curves. Only <path> strokes: no <text>, no font, no character of the
// code in the markup. Characters outside the alphabet are skipped.
std::string draw_captcha(std::string_view code, RandomSource& random);

}  // namespace idpd::auth
