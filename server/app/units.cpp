// The text forms of durations and sizes shared by the configuration and the CLI.
#include <charconv>

#include "app/config.h"

namespace idpd::app {

std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    std::string_view unit(end, text.data() + text.size() - end);
    const std::string error =
        "expected a duration such as \"500ms\", \"30s\", \"10m\", \"12h\" or "
        "\"7d\"";
    if (ec != std::errc{} || end == text.data()) {
        return std::unexpected(error);
    }
    std::uint64_t ms_per_unit = 0;
    if (unit == "ms") {
        ms_per_unit = 1;
    } else if (unit == "s") {
        ms_per_unit = 1000;
    } else if (unit == "m") {
        ms_per_unit = 60'000;
    } else if (unit == "h") {
        ms_per_unit = 3'600'000;
    } else if (unit == "d") {
        ms_per_unit = 86'400'000;
    } else if (unit.empty() && n == 0) {
        return std::chrono::milliseconds{0};
    } else {
        return std::unexpected(error);
    }
    if (n > 100ULL * 365 * 86'400'000 / ms_per_unit) {
        return std::unexpected("the duration is too long (at most 100 years)");
    }
    return std::chrono::milliseconds{static_cast<std::int64_t>(n * ms_per_unit)};
}

std::string format_duration(std::chrono::milliseconds d) {
    auto ms = static_cast<std::uint64_t>(d.count());
    if (ms == 0) {
        return "0s";
    }
    for (auto [unit, size] : {std::pair{"d", 86'400'000ULL}, std::pair{"h", 3'600'000ULL},
                              std::pair{"m", 60'000ULL}, std::pair{"s", 1000ULL}}) {
        if (ms % size == 0) {
            return std::to_string(ms / size) + unit;
        }
    }
    return std::to_string(ms) + "ms";
}

std::expected<std::size_t, std::string> parse_size(std::string_view text) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    std::string_view unit(end, text.data() + text.size() - end);
    const std::string error = "expected a size such as \"16KiB\", \"1MiB\" or a number of bytes";
    if (ec != std::errc{} || end == text.data()) {
        return std::unexpected(error);
    }
    std::uint64_t multiplier = 0;
    if (unit.empty() || unit == "B") {
        multiplier = 1;
    } else if (unit == "KiB") {
        multiplier = 1024;
    } else if (unit == "MiB") {
        multiplier = 1024 * 1024;
    } else if (unit == "GiB") {
        multiplier = 1024 * 1024 * 1024;
    } else {
        return std::unexpected(error);
    }
    if (n == 0 || n > (1ULL << 40) / multiplier) {
        return std::unexpected("expected a size from 1 byte to 1024GiB");
    }
    return static_cast<std::size_t>(n * multiplier);
}

std::string format_size(std::size_t bytes) {
    if (bytes % (1024 * 1024 * 1024) == 0) {
        return std::to_string(bytes / (1024 * 1024 * 1024)) + "GiB";
    }
    if (bytes % (1024 * 1024) == 0) {
        return std::to_string(bytes / (1024 * 1024)) + "MiB";
    }
    if (bytes % 1024 == 0) {
        return std::to_string(bytes / 1024) + "KiB";
    }
    return std::to_string(bytes);
}

}  // namespace idpd::app
