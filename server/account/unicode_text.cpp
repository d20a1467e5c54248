#include "account/unicode_text.h"

#include <climits>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace idpd::account {
namespace {

// ICU's UnicodeString::fromUTF8 replaces bad bytes with U+FFFD; we refuse them instead.
bool is_well_formed(std::string_view utf8) {
    if (utf8.size() > INT32_MAX) {
        return false;
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
    const auto length = static_cast<std::int32_t>(utf8.size());
    std::int32_t i = 0;
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) {
            return false;
        }
    }
    return true;
}

std::optional<icu::UnicodeString> nfc(const icu::UnicodeString& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    icu::UnicodeString normalized = normalizer->normalize(text, status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    return normalized;
}

std::string to_utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

}  // namespace

std::optional<std::string> to_nfc(std::string_view utf8) {
    if (!is_well_formed(utf8)) {
        return std::nullopt;
    }
    auto normalized = nfc(icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size()))));
    if (!normalized) {
        return std::nullopt;
    }
    return to_utf8(*normalized);
}

std::optional<std::string> fold_case(std::string_view utf8) {
    if (!is_well_formed(utf8)) {
        return std::nullopt;
    }
    auto normalized = nfc(icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size()))));
    if (!normalized) {
        return std::nullopt;
    }
    normalized->foldCase(U_FOLD_CASE_DEFAULT);
    // Folding can denormalise (a folded letter may compose with a following mark): NFC again.
    auto refolded = nfc(*normalized);
    if (!refolded) {
        return std::nullopt;
    }
    return to_utf8(*refolded);
}

std::optional<std::u32string> code_points(std::string_view utf8) {
    if (!is_well_formed(utf8)) {
        return std::nullopt;
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
    const auto length = static_cast<std::int32_t>(utf8.size());
    std::u32string out;
    std::int32_t i = 0;
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        out.push_back(static_cast<char32_t>(c));
    }
    return out;
}

}  // namespace idpd::account
