// web: the person-facing pages (sign-in, sign-up, terms, the account landing) rendered from
// templates/ with mstch, in zh-CN or English, with sessions, CSRF tokens and safe redirects.
#pragma once

#include <optional>
#include <string_view>

namespace idpd::web {

// The languages the catalogs cover. zh-CN first: most users are in China.
enum class Locale { zh_cn, en };

// "zh-CN" or "en": the BCP 47 tag for <html lang> and the catalog's file name.
std::string_view locale_tag(Locale locale);

// A tag the user or the browser named, if we have it: "zh", "zh-CN", "zh-Hans-CN", "zh-TW"
// (any Chinese: our only Chinese catalog) → zh_cn; "en", "en-US", … → en; anything else → none.
// Case-insensitive; '_' counts as '-'.
std::optional<Locale> match_locale(std::string_view tag);

// Where the page's language comes from, strongest first (the OIDC ui_locales parameter, then
// the remembered switch, then the browser's Accept-Language); default zh-CN.
struct LocaleSources {
    std::string_view ui_locales;       // space-separated tags, in order of preference
    std::string_view cookie;           // the language cookie's value ("en"), or empty
    std::string_view accept_language;  // the header, with q-values
};

Locale negotiate_locale(const LocaleSources& sources);

// The first tag of a ui_locales value (space-separated) that we have, if any.
std::optional<Locale> match_ui_locales(std::string_view ui_locales);

}  // namespace idpd::web
