#include "web/locale.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace idpd::web {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// The weight of one Accept-Language item ("q=0.8"), 1 without one, -1 when malformed.
double weight(std::string_view params) {
    double q = 1.0;
    while (!params.empty()) {
        auto semi = params.find(';');
        std::string_view param = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            std::string_view v = param.substr(2);
            // q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 9110 §12.4.2)
            if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) {
                return -1;
            }
            int thousandths = (v[0] - '0') * 1000;
            if (v.size() > 1) {
                if (v[1] != '.') {
                    return -1;
                }
                int scale = 100;
                for (char c : v.substr(2)) {
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    thousandths += (c - '0') * scale;
                    scale /= 10;
                }
            }
            if (thousandths > 1000) {
                return -1;
            }
            q = thousandths / 1000.0;
        }
    }
    return q;
}

}  // namespace

std::string_view locale_tag(Locale locale) {
    return locale == Locale::en ? "en" : "zh-CN";
}

std::optional<Locale> match_locale(std::string_view tag) {
    const std::string t = lower(trim(tag));
    auto primary = t.substr(0, t.find('-'));
    if (primary == "zh") {
        return Locale::zh_cn;
    }
    if (primary == "en") {
        return Locale::en;
    }
    return std::nullopt;
}

std::optional<Locale> match_ui_locales(std::string_view ui_locales) {
    // The first tag we support wins (OpenID Connect Core §3.1.2.1).
    std::string_view rest = ui_locales;
    while (!rest.empty()) {
        auto space = rest.find(' ');
        if (auto l = match_locale(rest.substr(0, space))) {
            return l;
        }
        rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    return std::nullopt;
}

Locale negotiate_locale(const LocaleSources& sources) {
    if (auto l = match_ui_locales(sources.ui_locales)) {
        return *l;
    }
    if (!sources.cookie.empty()) {
        if (auto l = match_locale(sources.cookie)) {
            return *l;
        }
    }
    // Accept-Language: the highest weight among the tags we support; ties keep header order.
    std::optional<Locale> best;
    double best_q = 0;
    std::string_view rest = sources.accept_language;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto semi = item.find(';');
        std::string_view tag = trim(item.substr(0, semi));
        double q = semi == std::string_view::npos ? 1.0 : weight(item.substr(semi + 1));
        if (q <= best_q) {
            continue;
        }
        if (auto l = match_locale(tag)) {
            best = l;
            best_q = q;
        }
    }
    return best.value_or(Locale::zh_cn);
}

}  // namespace idpd::web
