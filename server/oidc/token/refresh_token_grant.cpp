#include "oidc/token/refresh_token_grant.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "oidc/client_auth.h"
#include "oidc/scope.h"
#include "oidc/token/id_token.h"

namespace idpd::oidc {
namespace {

std::unexpected<Error> invalid_token(std::string detail = {}) {
    return fail(ErrorCode::invalid_grant, "the refresh token is invalid or has expired",
                std::move(detail));
}

}  // namespace

Result<RefreshToken> RefreshTokenGrant::usable(const TokenRequest& request, std::string_view value,
                                               std::int64_t now) const {
    auto found = store_.find(value);
    if (!found) {
        if (found.error().kind == store::Error::Kind::not_found) {
            return invalid_token();
        }
        return std::unexpected(database_error(found.error()));
    }
    const RefreshFamily& family = found->family;
    // Checked first, so another client learns nothing about the token.
    if (family.client_id != request.client.client_id) {
        return invalid_token("refresh token of " + family.client_id + " presented by " +
                             request.client.client_id);
    }
    if (family.revoked || found->expires_at <= now || family.expires_at <= now) {
        return invalid_token();
    }
    if (family.jkt) {
        if (!request.dpop_jkt) {
            return fail(ErrorCode::invalid_dpop_proof,
                        "this refresh token is DPoP-bound: send a DPoP proof made with its key");
        }
        if (*request.dpop_jkt != *family.jkt) {
            return fail(ErrorCode::invalid_grant, "the refresh token is bound to another DPoP key");
        }
    }
    return std::move(*found);
}

Result<void> RefreshTokenGrant::user_alive(const RefreshFamily& family) const {
    if (!users_) {
        return {};
    }
    auto user = users_(family.user_id);
    if (!user) {
        return std::unexpected(user.error());
    }
    if (*user) {
        return {};
    }
    if (auto ended = revoke_family(store_, tokens_, family.family_id, family.client_id); !ended) {
        return std::unexpected(ended.error());
    }
    return invalid_token("user " + std::to_string(family.user_id) + " is gone or disabled");
}

Result<TokenResponse> RefreshTokenGrant::exchange(const TokenRequest& request) const {
    const Client& client = request.client;
    auto value = request.form.get("refresh_token");
    if (!value) {
        return fail(ErrorCode::invalid_request, "refresh_token is missing");
    }
    const std::int64_t now = unix_seconds(clock_);
    auto token = usable(request, *value, now);
    if (!token) {
        return std::unexpected(token.error());
    }
    const RefreshFamily& family = token->family;
    if (auto alive = user_alive(family); !alive) {
        return std::unexpected(alive.error());
    }
    auto scopes = resolve_scope(request.form.get("scope"), split_scope(family.scope));
    if (!scopes) {
        return std::unexpected(scopes.error());
    }
    // A user who left the grant's organization gets no more tokens from it (invalid_grant),
    // even when this refresh narrows the scope to leave org:<id> out.
    if (auto member = claims_.check_member(family.user_id, split_scope(family.scope)); !member) {
        return std::unexpected(member.error());
    }
    auto extra = claims_.extra(family.user_id, *scopes, ClaimTarget::access_token,
                               TokenClaims::OrgGone::refuse);
    if (!extra) {
        return std::unexpected(extra.error());
    }
    // Issued before the rotation: if the rotation fails, nobody ever sees this token.
    // The refreshed tokens say how the user signed in for the grant (OIDC Core §12.2).
    const UserAuthentication authn{family.auth_time, family.acr, family.amr};
    auto issued = issuer_.issue(client, family.subject, *scopes, request.dpop_jkt, &authn, &*extra);
    if (!issued) {
        return std::unexpected(issued.error());
    }
    const NewRefreshToken next = refresh_issuer_.successor(family, *issued, now);
    auto rotation = store_.rotate(family.family_id, *value, next, now,
                                  options_.refresh_token_reuse_grace.count());
    if (!rotation) {
        return std::unexpected(database_error(rotation.error()));
    }
    if (*rotation == Rotation::dead) {
        return invalid_token();
    }
    if (*rotation == Rotation::reused) {
        if (auto ended = revoke_family(store_, tokens_, family.family_id, client.client_id);
            !ended) {
            spdlog::warn("reused refresh token: cannot revoke its family: {}",
                         ended.error().detail);
        }
        return fail(ErrorCode::invalid_grant, "the refresh token was already used",
                    "reused refresh token of " + client.client_id + "; family " + family.family_id +
                        " revoked");
    }
    TokenResponse response;
    if (std::ranges::find(*scopes, "openid") != scopes->end()) {
        IdTokenClaims claims{family.subject, family.auth_time, std::nullopt, family.sid,
                             family.amr,     issued->value,    family.acr};
        auto id_extra = claims_.for_id_token(family.user_id, *scopes, family.id_token_claims);
        if (!id_extra) {
            return std::unexpected(id_extra.error());
        }
        claims.extra = std::move(*id_extra);
        auto id_token = sign_id_token(keys_, options_.issuer, client, claims, now,
                                      options_.id_token_ttl.count());
        if (!id_token) {
            return std::unexpected(id_token.error());
        }
        response.id_token = std::move(*id_token);
    }
    response.access_token = std::move(issued->value);
    response.token_type = issued->token_type;
    response.expires_in = issued->expires_in;
    response.scope = std::move(issued->scope);
    response.refresh_token = next.value;
    return response;
}

}  // namespace idpd::oidc
