#pragma once

#include <optional>
#include <string>

#include "oidc/access_token_store.h"
#include "oidc/authorization_code_store.h"
#include "oidc/client.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"
#include "oidc/refresh_token_store.h"
#include "oidc/token/access_token_issuer.h"

namespace idpd::oidc {

// Mints refresh tokens (RFC 6749 §6): 256 random bits, base64url, stored only as SHA-256.
// A token expires after refresh_token_idle_ttl unused, and never after its family's absolute
// expiry (refresh_token_absolute_ttl from the code exchange).
class RefreshTokenIssuer {
public:
    RefreshTokenIssuer(const Options& options, RefreshTokenStore& store, Clock clock,
                       RandomBytes random)
        : options_(options), store_(store), clock_(std::move(clock)), random_(std::move(random)) {}

    // Whether the code exchange of `scopes` for `client` yields a refresh token: offline_access
    // was granted (OIDC Core §11) and the client may use the refresh_token grant.
    static bool offers_refresh(const Client& client, const std::vector<std::string>& scopes);

    // Starts a family for a redeemed code; returns the first token. A public client's family
    // is bound to `jkt` when the exchange carried a DPoP proof (RFC 9449 §5). `subject` is the
    // sub this client sees (SubjectMapper). Errors: temporarily_unavailable.
    Result<std::string> start(const Client& client, const AuthorizationCode& code,
                              const std::string& subject, const IssuedAccessToken& access_token,
                              const std::optional<std::string>& jkt);

    // A successor for a rotation in `family` at `now`, carrying `access_token`.
    NewRefreshToken successor(const RefreshFamily& family, const IssuedAccessToken& access_token,
                              std::int64_t now) const;

    // Revokes the family that started beside `access_token` (a replayed code's, RFC 6749
    // §4.1.2: "SHOULD revoke ... all tokens previously issued based on that authorization
    // code"), with its access tokens. Errors: temporarily_unavailable.
    Result<void> revoke_family_of(const IssuedFromCode& access_token, AccessTokenStore& tokens,
                                  const std::string& client_id);

private:
    const Options& options_;
    RefreshTokenStore& store_;
    Clock clock_;
    RandomBytes random_;
};

// What to record about an access token so a replay or a revocation can revoke it.
IssuedFromCode issued_record(const IssuedAccessToken& token);

// Revokes `family` and every access token issued in it (RFC 7009 §2.1; RFC 6749 §10.4 on a
// reused refresh token). Errors: temporarily_unavailable.
Result<void> revoke_family(RefreshTokenStore& refresh_tokens, AccessTokenStore& access_tokens,
                           const std::string& family_id, const std::string& client_id);

// Revokes every refresh grant of `user_id` with `client_id` (empty: of every client), with the
// access tokens issued in them: a withdrawn consent, a new password. Errors:
// temporarily_unavailable.
Result<void> revoke_user_grants(RefreshTokenStore& refresh_tokens, AccessTokenStore& access_tokens,
                                std::int64_t user_id, const std::string& client_id);

}  // namespace idpd::oidc
