#include "account/email_address.h"

#include <algorithm>

#include <unicode/uchar.h>

#include "account/unicode_text.h"

namespace idpd::account {
namespace {

constexpr std::size_t max_local_part_bytes = 64;
constexpr std::size_t max_address_bytes = 254;

bool is_forbidden(char32_t c) {
    const auto category = u_charType(static_cast<UChar32>(c));
    return u_isUWhiteSpace(static_cast<UChar32>(c)) != 0 || category == U_CONTROL_CHAR ||
           category == U_FORMAT_CHAR;
}

}  // namespace

std::optional<EmailAddress> parse_email_address(std::string_view input) {
    auto text = to_nfc(input);
    if (!text || text->size() > max_address_bytes) {
        return std::nullopt;
    }
    const std::size_t at = text->find('@');
    if (at == std::string::npos || at == 0 || at > max_local_part_bytes || at + 1 == text->size() ||
        text->find('@', at + 1) != std::string::npos) {
        return std::nullopt;
    }
    const auto points = code_points(*text);
    if (!points || std::ranges::any_of(*points, is_forbidden)) {
        return std::nullopt;
    }
    auto canonical = fold_case(*text);
    if (!canonical) {
        return std::nullopt;
    }
    return EmailAddress{std::move(*text), std::move(*canonical)};
}

}  // namespace idpd::account
