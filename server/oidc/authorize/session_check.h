#pragma once

#include <cstdint>
#include <optional>

#include "oidc/authorize/browser_session.h"
#include "oidc/authorize/checks.h"

namespace idpd::oidc {

enum class SessionCheck { proceed, sign_in, login_required };

// check_session.cpp: whether the browser's session may answer this request. `auth_after`: the
// time the endpoint sent the browser to sign in (its own idpd_auth_after parameter), so a
// prompt=login or max_age request is answered only by a sign-in made after it.
SessionCheck check_session(const std::optional<BrowserSession>& session, const Prompt& prompt,
                           std::optional<std::int64_t> max_age,
                           std::optional<std::int64_t> auth_after, std::int64_t now);

}  // namespace idpd::oidc
