#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace idpd::oidc {

// RFC 9470 (OAuth 2.0 Step Up Authentication Challenge) for APIs that accept our access
// tokens: when a token's authentication is not enough for the operation — its acr is not the
// MFA level, or its auth_time is older than the API allows — the API answers 401 with
//   WWW-Authenticate: Bearer error="insufficient_user_authentication",
//     error_description="…", acr_values="https://refeds.org/profile/mfa", max_age="300"
// and the client sends the user back to /authorize with those acr_values / max_age; idpd then
// asks that session for its second factor (no new password) and issues a token whose acr,
// amr and auth_time (in the JWT, and from /introspect) show it.
//
// What the API states it needs: at least one of the two.
struct StepUpRequirement {
    std::optional<std::string> acr_values;  // space-separated, e.g. auth::acr_mfa
    std::optional<std::int64_t> max_age;    // seconds since auth_time
};

// The WWW-Authenticate value (RFC 9470 §3, RFC 6750 §3): quoted-string parameters, with '"'
// and '\' (which cannot appear in an acr URI) and control characters dropped from the texts.
std::string insufficient_user_authentication_challenge(const StepUpRequirement& needed,
                                                       std::string_view description);

// The whole answer: 401, that header, Cache-Control: no-store and the RFC 6749 §5.2 JSON body.
http::HttpResponse insufficient_user_authentication(const StepUpRequirement& needed,
                                                    std::string_view description);

}  // namespace idpd::oidc
