#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http/request.h"
#include "oidc/access_token_reader.h"
#include "oidc/dpop.h"
#include "oidc/errors.h"
#include "oidc/subject_mapper.h"

namespace idpd::oidc {

class TokenClaims;

// What /userinfo may tell about a user (OIDC Core §5.1), from the accounts.
struct UserProfile {
    std::string preferred_username;
    std::string name;                  // the display name
    std::int64_t updated_at = 0;       // epoch seconds
    std::optional<std::string> email;  // the primary address
    bool email_verified = false;
    std::optional<std::string> phone_number = std::nullopt;  // E.164, always verified
    bool phone_number_verified = false;
    // The avatar: our /avatars/:id URL for an upload, or the https URL the user gave.
    std::optional<std::string> picture = std::nullopt;
};

// The active user `user_id`, or nullopt (no such user, or disabled). Injected by app/ (the
// accounts live in account/). Errors: temporarily_unavailable / server_error.
using UserProfileLookup = std::function<Result<std::optional<UserProfile>>(std::int64_t user_id)>;

// GET and POST /userinfo (OIDC Core §5.3):
// - a Bearer access token in the Authorization header (RFC 6750 §2.1), or for POST in the form
//   body (§2.2), never both; verified like introspection (JWT or opaque, active, ours);
// - or a DPoP-bound token as `Authorization: DPoP` with a DPoP proof naming this URL and the
//   token's hash (RFC 9449 §7.1) made with the token's key; a DPoP-bound token sent as Bearer
//   is refused (§7.2). DPoP failures are 401 with WWW-Authenticate: DPoP error=
//   "invalid_dpop_proof" or "invalid_token";
// - the token must carry openid (it came from an OpenID Connect request) and name a user;
// - claims by scope (§5.4): sub always; profile → preferred_username, name, updated_at;
//   email → email, email_verified;
// - failures are 401 with WWW-Authenticate: Bearer error="invalid_token" (RFC 6750 §3), 400
//   invalid_request, or 403 insufficient_scope.
class UserinfoEndpoint {
public:
    // `subjects` maps the token's sub (numeric, or pairwise) back to the local user; `url` is
    // the endpoint's absolute URL, the htu DPoP proofs must name.
    UserinfoEndpoint(AccessTokenReader& reader, SubjectMapper& subjects, DpopVerifier& dpop,
                     std::string url, UserProfileLookup users, const TokenClaims& claims)
        : reader_(reader),
          subjects_(subjects),
          dpop_(dpop),
          url_(std::move(url)),
          users_(std::move(users)),
          claims_(claims) {}

    http::HttpResponse handle(const http::HttpRequest& req) const;

private:
    // The refusal when the token's DPoP binding and the request disagree, else nullopt.
    std::optional<http::HttpResponse> check_binding(const http::HttpRequest& req, bool dpop_scheme,
                                                    const ActiveAccessToken& token,
                                                    const std::string& token_value) const;

    AccessTokenReader& reader_;
    SubjectMapper& subjects_;
    DpopVerifier& dpop_;
    std::string url_;
    UserProfileLookup users_;
    const TokenClaims& claims_;  // extra scopes (plan, billing, orgs…) and org_id/org_role
};

}  // namespace idpd::oidc
