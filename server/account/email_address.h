#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idpd::account {

// An email address as accounts store it. Only the shape is checked here; that the user owns
// the address is proven by the verification link (design.md §2), not by syntax.
struct EmailAddress {
    std::string text;       // NFC form, as typed otherwise; where mail is sent
    std::string canonical;  // fold_case(text): what "the same address" compares
};

// One '@' between a non-empty local part (at most 64 bytes, RFC 5321 §4.5.3.1.1) and a
// non-empty domain, at most 254 bytes in all (RFC 5321 §4.5.3.1.3 less the angle brackets),
// well-formed UTF-8 with no whitespace or control characters. nullopt otherwise.
std::optional<EmailAddress> parse_email_address(std::string_view input);

}  // namespace idpd::account
