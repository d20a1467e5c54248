#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "billing/error.h"

namespace idpd::billing {

// The largest amount a person may type for one top-up, coupon or charge: 1,000,000.00 yuan.
inline constexpr std::int64_t max_amount_fen = 100'000'000;

// Reads a yuan amount typed by a person ("12", "12.3", "12.34") as fen. Only ASCII digits with
// at most one '.' and at most two decimals; no sign, no spaces, no exponent, no leading zeros
// ("007"), no thousands separators, no NaN/Infinity. Zero, fractions of a fen ("0.001") and
// amounts above max_amount_fen are refused. Errors: invalid, with a message naming the rule.
Result<std::int64_t> parse_yuan(std::string_view text);

// "12.34", "0.05", "-3.00" (for a debit): always two decimals.
std::string format_yuan(std::int64_t fen);

}  // namespace idpd::billing
