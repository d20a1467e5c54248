#include "oidc/token/refresh_token_issuer.h"

#include <algorithm>

#include "jose/base64url.h"
#include "oidc/client_auth.h"

namespace idpd::oidc {

bool RefreshTokenIssuer::offers_refresh(const Client& client,
                                        const std::vector<std::string>& scopes) {
    return client.allows_grant("refresh_token") &&
           std::ranges::find(scopes, "offline_access") != scopes.end();
}

Result<std::string> RefreshTokenIssuer::start(const Client& client, const AuthorizationCode& code,
                                              const std::string& subject,
                                              const IssuedAccessToken& access_token,
                                              const std::optional<std::string>& jkt) {
    const std::int64_t now = unix_seconds(clock_);
    RefreshFamily family;
    family.family_id = jose::base64url_encode(random_(16));
    family.client_id = client.client_id;
    family.user_id = code.user_id;
    family.subject = subject;
    family.sid = code.sid;
    family.scope = code.scope;
    family.auth_time = code.auth_time;
    family.amr = code.amr;
    family.acr = code.acr;
    family.id_token_claims = code.id_token_claims;
    // RFC 9449 §5: a confidential client's refresh token is bound by its authentication already.
    if (client.is_public()) {
        family.jkt = jkt;
    }
    family.created_at = now;
    family.expires_at = now + options_.refresh_token_absolute_ttl.count();
    NewRefreshToken first = successor(family, access_token, now);
    if (auto started = store_.start_family(family, first); !started) {
        return std::unexpected(database_error(started.error()));
    }
    return first.value;
}

NewRefreshToken RefreshTokenIssuer::successor(const RefreshFamily& family,
                                              const IssuedAccessToken& access_token,
                                              std::int64_t now) const {
    NewRefreshToken next;
    next.value = jose::base64url_encode(random_(32));
    next.issued_at = now;
    next.expires_at = std::min(now + options_.refresh_token_idle_ttl.count(), family.expires_at);
    next.access_token = issued_record(access_token);
    return next;
}

Result<void> RefreshTokenIssuer::revoke_family_of(const IssuedFromCode& access_token,
                                                  AccessTokenStore& tokens,
                                                  const std::string& client_id) {
    if (!access_token.access_token_hash && !access_token.access_token_jti) {
        return {};
    }
    auto family = store_.family_of(access_token);
    if (!family) {
        return std::unexpected(database_error(family.error()));
    }
    if (!*family) {
        return {};
    }
    return revoke_family(store_, tokens, **family, client_id);
}

IssuedFromCode issued_record(const IssuedAccessToken& token) {
    IssuedFromCode record;
    if (token.jti.empty()) {
        record.access_token_hash = sha256(token.value);
    } else {
        record.access_token_jti = token.jti;
    }
    record.expires_at = token.expires_at;
    return record;
}

Result<void> revoke_family(RefreshTokenStore& refresh_tokens, AccessTokenStore& access_tokens,
                           const std::string& family_id, const std::string& client_id) {
    auto issued = refresh_tokens.revoke_family(family_id);
    if (!issued) {
        return std::unexpected(database_error(issued.error()));
    }
    for (const auto& token : *issued) {
        auto done = token.access_token_hash  ? access_tokens.revoke_hash(*token.access_token_hash)
                    : token.access_token_jti ? access_tokens.revoke_jti(*token.access_token_jti,
                                                                        client_id, token.expires_at)
                                             : store::Result<void>{};
        if (!done) {
            return std::unexpected(database_error(done.error()));
        }
    }
    return {};
}

Result<void> revoke_user_grants(RefreshTokenStore& refresh_tokens, AccessTokenStore& access_tokens,
                                std::int64_t user_id, const std::string& client_id) {
    auto families = refresh_tokens.live_families_of(user_id, client_id);
    if (!families) {
        return std::unexpected(database_error(families.error()));
    }
    for (const auto& [family_id, family_client] : *families) {
        if (auto ended = revoke_family(refresh_tokens, access_tokens, family_id, family_client);
            !ended) {
            return ended;
        }
    }
    return {};
}

}  // namespace idpd::oidc
