#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http/request.h"

namespace idpd::oidc {

// The signed-in browser as /authorize needs it: who, which session, when and how they signed in.
struct BrowserSession {
    std::int64_t user_id = 0;
    std::string sid;             // the session's id, the ID token's sid
    std::int64_t auth_time = 0;  // epoch seconds of the sign-in
    std::string amr;             // RFC 8176 methods, space-separated
    // The session's level now (auth/acr.h: the MFA level lapses after totp.mfa_lifetime), and
    // whether the user has a second factor to step up with.
    std::string acr{};
    bool two_step_enrolled = false;
};

// The live session of the browser that sent `req`, or nullopt (none, ended, or its user
// disabled). Injected by app/ (the pages own the session cookie), so oidc/ reads no cookie.
using SessionLookup = std::function<std::optional<BrowserSession>(const http::HttpRequest& req)>;

}  // namespace idpd::oidc
