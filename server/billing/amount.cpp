#include "billing/amount.h"

#include <cstdlib>

namespace idpd::billing {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Digits only, without a leading zero unless the whole part is "0"; at most 9 digits, so the
// sum below cannot overflow before the range check.
Result<std::int64_t> whole_part(std::string_view digits) {
    if (digits.empty()) {
        return fail(Error::Kind::invalid, "the amount needs digits before the decimal point");
    }
    if (digits.size() > 1 && digits.front() == '0') {
        return fail(Error::Kind::invalid, "the amount must not start with 0");
    }
    if (digits.size() > 9) {
        return fail(Error::Kind::invalid, "the amount is too large (at most 1000000.00)");
    }
    std::int64_t yuan = 0;
    for (char c : digits) {
        yuan = yuan * 10 + (c - '0');
    }
    return yuan;
}

}  // namespace

Result<std::int64_t> parse_yuan(std::string_view text) {
    if (text.empty()) {
        return fail(Error::Kind::invalid, "enter an amount");
    }
    if (text.size() > 16) {
        return fail(Error::Kind::invalid, "the amount is too large (at most 1000000.00)");
    }
    for (char c : text) {
        if (!is_digit(c) && c != '.') {
            if (c == '-') {
                return fail(Error::Kind::invalid, "the amount must be positive");
            }
            return fail(Error::Kind::invalid,
                        "the amount may hold only digits and one decimal point, like 12.34");
        }
    }
    const auto dot = text.find('.');
    auto yuan = whole_part(text.substr(0, dot));
    if (!yuan) {
        return std::unexpected(yuan.error());
    }
    std::int64_t fen = 0;
    if (dot != std::string_view::npos) {
        const auto decimals = text.substr(dot + 1);
        if (decimals.empty() || decimals.find('.') != std::string_view::npos) {
            return fail(Error::Kind::invalid, "the amount needs digits after the decimal point");
        }
        if (decimals.size() > 2) {
            return fail(Error::Kind::invalid, "the smallest unit is 0.01 (one fen)");
        }
        fen = (decimals[0] - '0') * 10 + (decimals.size() == 2 ? decimals[1] - '0' : 0);
    }
    const std::int64_t total = *yuan * 100 + fen;
    if (total == 0) {
        return fail(Error::Kind::invalid, "the amount must be more than 0");
    }
    if (total > max_amount_fen) {
        return fail(Error::Kind::invalid, "the amount is too large (at most 1000000.00)");
    }
    return total;
}

std::string format_yuan(std::int64_t fen) {
    const bool negative = fen < 0;
    // Fen as unsigned, so the most negative value has a magnitude too.
    const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(fen)
                                             : static_cast<std::uint64_t>(fen);
    std::string out = negative ? "-" : "";
    out += std::to_string(magnitude / 100);
    out.push_back('.');
    out.push_back(static_cast<char>('0' + magnitude % 100 / 10));
    out.push_back(static_cast<char>('0' + magnitude % 10));
    return out;
}

}  // namespace idpd::billing
