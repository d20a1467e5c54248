// - no session, prompt=login, an auth_time older than max_age (OIDC Core §3.1.2.1), or older
//   than the request that sent the browser to sign in: the end-user must sign in (again);
// - with prompt=none that is login_required instead of a page (§3.1.2.6).
#include "oidc/authorize/session_check.h"

namespace idpd::oidc {

SessionCheck check_session(const std::optional<BrowserSession>& session, const Prompt& prompt,
                           std::optional<std::int64_t> max_age,
                           std::optional<std::int64_t> auth_after, std::int64_t now) {
    bool sign_in = !session || prompt.login;
    if (session && max_age && now - session->auth_time > *max_age) {
        sign_in = true;
    }
    if (session && auth_after && session->auth_time < *auth_after) {
        sign_in = true;
    }
    if (!sign_in) {
        return SessionCheck::proceed;
    }
    return prompt.none ? SessionCheck::login_required : SessionCheck::sign_in;
}

}  // namespace idpd::oidc
