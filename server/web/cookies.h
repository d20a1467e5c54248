#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::web {

// The value of cookie `name` in the request's Cookie header(s), if any (RFC 6265 §5.4; the
// first one wins, as browsers send the most specific first).
std::optional<std::string> cookie_value(const http::HttpRequest& req, std::string_view name);

// How our cookies are named and flagged. Secure (the default): the `__Host-` prefix, Secure,
// HttpOnly, Path=/, SameSite=Lax, so only this exact origin over https can set or read them.
// Plain (the `sessions.plain_http_cookies` development switch): no prefix and no Secure, so a
// browser keeps them over http://localhost.
struct CookiePolicy {
    bool secure = true;

    // "__Host-idpd_session" or "idpd_session".
    std::string name(std::string_view base) const;

    // A Set-Cookie value. `max_age` none: a browser-session cookie (gone when the browser
    // closes).
    std::string set(std::string_view base, std::string_view value,
                    std::optional<std::chrono::seconds> max_age) const;

    // A Set-Cookie value that deletes the cookie.
    std::string clear(std::string_view base) const;
};

}  // namespace idpd::web
