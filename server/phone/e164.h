// phone: phone numbers of accounts — E.164 parsing, the bound number, SMS codes and the flows
// that bind, change, unbind and sign in with a number.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace idpd::phone {

// What is wrong with a typed number. The enumerator's name is the catalog key
// (phones.errors.<name>).
enum class NumberProblem {
    empty,              // nothing typed
    invalid_character,  // something other than digits, one leading '+', spaces, '-', '.', '()'
    no_country_code,    // neither "+<country>" nor a bare 11-digit mainland mobile number
    invalid_length,     // not 8 to 15 digits with the country code (E.164 §6)
    invalid_country,    // a country code cannot start with 0
    invalid_mainland,   // +86 1…: a mainland mobile number is 11 digits, 13x…19x
};

std::string_view problem_name(NumberProblem problem);

// The E.164 form ("+8613800138000") of a number as a person types it: spaces, '-', '.', and
// parentheses are dropped; "00" before the country code is read as '+'; a bare 11-digit number
// starting with 1 is a mainland China mobile number and gets +86. Anything else without a
// country code is refused rather than guessed.
std::expected<std::string, NumberProblem> normalize_e164(std::string_view typed);

// "+86 138****8000": enough for the owner to recognise the number, not enough to dial it.
std::string masked(std::string_view e164);

}  // namespace idpd::phone
