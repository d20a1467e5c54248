#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::web {

// Cross-site request forgery defences for every state-changing form (OWASP CSRF Prevention
// Cheat Sheet):
//
// * A synchronizer token in a hidden field, derived from a secret the browser holds in an
//   HttpOnly cookie: the session cookie once signed in, or a short-lived pre-session cookie on
//   the sign-in and sign-up forms. token = hex(SHA-256("idpd-csrf\0" || cookie value)): another
//   site can neither read the cookie nor compute the token, and the token reveals nothing of
//   the cookie. A new session (sign-in) changes the token. It is derived, not stored, so it
//   costs no write and works on every replica.
// * An Origin check: a POST whose Origin (or, without one, Referer) is another origin than the
//   issuer's is refused even before the token is looked at.

// The form token for a cookie secret.
std::string csrf_token(std::string_view cookie_secret);

// Whether `submitted` is the token for `cookie_secret`, compared in constant time. False when
// either is empty.
bool csrf_token_matches(std::string_view submitted, std::string_view cookie_secret);

// "https://id.example.com" from an issuer "https://id.example.com/path" (scheme, host, port).
std::string origin_of(std::string_view url);

// Whether the request comes from a page of `issuer_origin`: its Origin header equals it, or
// there is no Origin and the Referer is on it. Neither header: true (some privacy tools strip
// both; the token still protects). Origin "null" (sandboxed or privacy-redirected): false.
bool same_origin_request(const http::HttpRequest& req, std::string_view issuer_origin);

}  // namespace idpd::web
