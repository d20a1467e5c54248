#include "auth/captcha_image.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace idpd::auth {
namespace {

struct Point {
    double x, y;
};

using Stroke = std::vector<Point>;

// A stroke font on a 10 × 14 grid (y down): one list of polylines per character of
// captcha_alphabet, in the same order.
const std::array<std::vector<Stroke>, captcha_alphabet.size()>& glyphs() {
    static const std::array<std::vector<Stroke>, captcha_alphabet.size()> font{{
        {{{0, 14}, {5, 0}, {10, 14}}, {{2, 8}, {8, 8}}},                                    // A
        {{{10, 2}, {7, 0}, {3, 0}, {0, 3}, {0, 11}, {3, 14}, {7, 14}, {10, 12}}},           // C
        {{{10, 0}, {0, 0}, {0, 14}, {10, 14}}, {{0, 7}, {7, 7}}},                           // E
        {{{10, 0}, {0, 0}, {0, 14}}, {{0, 7}, {7, 7}}},                                     // F
        {{{0, 0}, {0, 14}}, {{10, 0}, {10, 14}}, {{0, 7}, {10, 7}}},                        // H
        {{{3, 0}, {10, 0}}, {{8, 0}, {8, 11}, {6, 14}, {3, 14}, {0, 11}}},                  // J
        {{{0, 0}, {0, 14}}, {{10, 0}, {0, 9}}, {{3, 6}, {10, 14}}},                         // K
        {{{0, 14}, {0, 0}, {5, 8}, {10, 0}, {10, 14}}},                                     // M
        {{{0, 14}, {0, 0}, {10, 14}, {10, 0}}},                                             // N
        {{{0, 14}, {0, 0}, {7, 0}, {10, 2}, {10, 5}, {7, 7}, {0, 7}}},                      // P
        {{{0, 14}, {0, 0}, {7, 0}, {10, 2}, {10, 5}, {7, 7}, {0, 7}}, {{5, 7}, {10, 14}}},  // R
        {{{0, 0}, {10, 0}}, {{5, 0}, {5, 14}}},                                             // T
        {{{0, 0}, {0, 11}, {3, 14}, {7, 14}, {10, 11}, {10, 0}}},                           // U
        {{{0, 0}, {5, 14}, {10, 0}}},                                                       // V
        {{{0, 0}, {2, 14}, {5, 5}, {8, 14}, {10, 0}}},                                      // W
        {{{0, 0}, {10, 14}}, {{10, 0}, {0, 14}}},                                           // X
        {{{0, 0}, {5, 7}, {10, 0}}, {{5, 7}, {5, 14}}},                                     // Y
        {{{0, 1}, {3, 0}, {8, 0}, {10, 2}, {10, 5}, {7, 7}, {3, 7}},
         {{7, 7}, {10, 9}, {10, 12}, {8, 14}, {3, 14}, {0, 13}}},  // 3
        {{{7, 14}, {7, 0}, {0, 10}, {10, 10}}},                    // 4
        {{{0, 0}, {10, 0}, {4, 14}}},                              // 7
        {{{10, 7},
          {3, 7},
          {0, 5},
          {0, 2},
          {3, 0},
          {7, 0},
          {10, 2},
          {10, 10},
          {7, 14},
          {2, 14}}},  // 9
    }};
    return font;
}

std::uint32_t next_u32(RandomSource& random) {
    std::array<std::uint8_t, 4> b{};
    random.fill(b);
    return static_cast<std::uint32_t>(b[0]) << 24 | static_cast<std::uint32_t>(b[1]) << 16 |
           static_cast<std::uint32_t>(b[2]) << 8 | b[3];
}

double uniform(RandomSource& random, double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(next_u32(random)) / 4294967296.0);
}

void append_point(std::string& d, char command, Point p) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%c%.1f %.1f", command, p.x, p.y);
    d += buf;
}

// Dark enough on the light background for people with low vision; varied so no one colour
// singles the glyphs out from the noise.
constexpr std::array<std::string_view, 5> inks{"#1f3a5f", "#4a1f5f", "#1f5f3a", "#5f3a1f",
                                               "#2d2d2d"};

std::string_view ink(RandomSource& random) {
    return inks[next_u32(random) % inks.size()];
}

std::string glyph_path(const std::vector<Stroke>& strokes, Point centre, RandomSource& random) {
    const double angle = uniform(random, -0.35, 0.35);
    const double scale = uniform(random, 2.2, 2.7);
    const Point shift{uniform(random, -3, 3), uniform(random, -4, 4)};
    const double c = std::cos(angle);
    const double s = std::sin(angle);
    std::string d;
    for (const auto& stroke : strokes) {
        char command = 'M';
        for (Point p : stroke) {
            // Around the glyph's middle (5, 7), jittered, turned, scaled, then placed.
            const double x = (p.x - 5 + uniform(random, -0.5, 0.5)) * scale;
            const double y = (p.y - 7 + uniform(random, -0.5, 0.5)) * scale;
            append_point(d, command,
                         {centre.x + shift.x + x * c - y * s, centre.y + shift.y + x * s + y * c});
            command = 'L';
        }
    }
    return d;
}

std::string noise_path(RandomSource& random) {
    std::string d;
    append_point(d, 'M', {uniform(random, 0, 20), uniform(random, 5, captcha_height - 5)});
    append_point(d, 'C', {uniform(random, 30, 80), uniform(random, 0, captcha_height)});
    d += ' ';
    append_point(d, ' ', {uniform(random, 90, 150), uniform(random, 0, captcha_height)});
    d += ' ';
    append_point(d, ' ',
                 {uniform(random, captcha_width - 20, captcha_width),
                  uniform(random, 5, captcha_height - 5)});
    return d;
}

}  // namespace

std::string captcha_code(RandomSource& random) {
    std::string code;
    // Rejection sampling: only bytes below the largest multiple of the alphabet's size, so
    // every character is equally likely.
    constexpr unsigned limit = 256 - 256 % captcha_alphabet.size();
    while (code.size() < captcha_length) {
        std::array<std::uint8_t, 1> b{};
        random.fill(b);
        if (b[0] < limit) {
            code.push_back(captcha_alphabet[b[0] % captcha_alphabet.size()]);
        }
    }
    return code;
}

std::string draw_captcha(std::string_view code, RandomSource& random) {
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      std::to_string(captcha_width) + "\" height=\"" +
                      std::to_string(captcha_height) + "\" viewBox=\"0 0 " +
                      std::to_string(captcha_width) + " " + std::to_string(captcha_height) +
                      "\"><rect width=\"100%\" height=\"100%\" fill=\"#f4f6f8\"/>";
    auto stroke = [&](const std::string& d, double width) {
        char w[16];
        std::snprintf(w, sizeof w, "%.1f", width);
        svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + std::string(ink(random)) +
               "\" stroke-width=\"" + w + "\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>";
    };
    const double step = static_cast<double>(captcha_width - 20) / captcha_length;
    std::size_t slot = 0;
    for (char ch : code) {
        const auto at = captcha_alphabet.find(ch);
        if (at == std::string_view::npos) {
            continue;
        }
        stroke(noise_path(random), uniform(random, 1.0, 2.0));
        const Point centre{10 + step * (static_cast<double>(slot) + 0.5), captcha_height / 2.0};
        stroke(glyph_path(glyphs()[at], centre, random), uniform(random, 2.4, 3.2));
        ++slot;
    }
    stroke(noise_path(random), uniform(random, 1.0, 2.0));
    return svg + "</svg>";
}

}  // namespace idpd::auth
