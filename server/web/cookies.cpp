#include "web/cookies.h"

namespace idpd::web {

std::optional<std::string> cookie_value(const http::HttpRequest& req, std::string_view name) {
    for (const auto& [field, value] : req.headers.fields()) {
        if (field.size() != 6 || !(field[0] == 'C' || field[0] == 'c') ||
            (field.substr(1) != "ookie" && field.substr(1) != "OOKIE")) {
            continue;
        }
        std::string_view rest = value;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ') {
                pair.remove_prefix(1);
            }
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
                std::string_view v = pair.substr(eq + 1);
                while (!v.empty() && v.back() == ' ') {
                    v.remove_suffix(1);
                }
                return std::string(v);
            }
        }
    }
    return std::nullopt;
}

std::string CookiePolicy::name(std::string_view base) const {
    return (secure ? "__Host-" : "") + std::string(base);
}

std::string CookiePolicy::set(std::string_view base, std::string_view value,
                              std::optional<std::chrono::seconds> max_age) const {
    std::string out = name(base) + "=" + std::string(value) + "; Path=/";
    if (max_age) {
        out += "; Max-Age=" + std::to_string(max_age->count());
    }
    out += "; HttpOnly";
    if (secure) {
        out += "; Secure";
    }
    return out + "; SameSite=Lax";
}

std::string CookiePolicy::clear(std::string_view base) const {
    return set(base, "", std::chrono::seconds{0});
}

}  // namespace idpd::web
