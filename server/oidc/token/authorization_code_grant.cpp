#include "oidc/token/authorization_code_grant.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "oidc/client_auth.h"
#include "oidc/scope.h"
#include "oidc/token/id_token.h"
#include "oidc/token/pkce.h"

namespace idpd::oidc {

void AuthorizationCodeGrant::revoke_issued(const std::string& code_value,
                                           const std::string& client_id) const {
    auto issued = codes_.issued(code_value);
    if (!issued) {
        spdlog::warn("replayed code: cannot read what it issued: {}", issued.error().message);
        return;
    }
    if (auto family = refresh_issuer_.revoke_family_of(*issued, tokens_, client_id); !family) {
        spdlog::warn("replayed code: cannot revoke its refresh tokens: {}", family.error().detail);
    }
    const std::optional<std::string> hash = issued->access_token_hash;
    const std::optional<std::string> jti = issued->access_token_jti;
    if (hash) {
        if (auto done = tokens_.revoke_hash(*hash); !done) {
            spdlog::warn("replayed code: cannot revoke its token: {}", done.error().message);
        }
    }
    if (jti) {
        if (auto done = tokens_.revoke_jti(*jti, client_id, issued->expires_at); !done) {
            spdlog::warn("replayed code: cannot revoke its token: {}", done.error().message);
        }
    }
}

Result<TokenResponse> AuthorizationCodeGrant::exchange(const TokenRequest& request) const {
    const Client& client = request.client;
    auto code_value = request.form.get("code");
    if (!code_value) {
        return fail(ErrorCode::invalid_request, "code is missing");
    }
    auto redirect_uri = request.form.get("redirect_uri");
    if (!redirect_uri) {
        return fail(ErrorCode::invalid_request, "redirect_uri is missing");
    }
    auto verifier = request.form.get("code_verifier");
    if (!verifier) {
        return fail(ErrorCode::invalid_request, "code_verifier is missing (PKCE)");
    }
    if (!is_code_verifier(*verifier)) {
        return fail(ErrorCode::invalid_request,
                    "code_verifier must be 43 to 128 unreserved characters");
    }
    auto code = codes_.find(*code_value);
    if (!code) {
        if (code.error().kind == store::Error::Kind::not_found) {
            return fail(ErrorCode::invalid_grant, "the code is invalid or has expired");
        }
        return std::unexpected(database_error(code.error()));
    }
    const std::int64_t now = unix_seconds(clock_);
    // Checked before anything else about the code, so another client cannot learn or spend it.
    if (code->client_id != client.client_id) {
        return fail(ErrorCode::invalid_grant, "the code is invalid or has expired",
                    "code of " + code->client_id + " presented by " + client.client_id);
    }
    if (code->used_at) {
        revoke_issued(*code_value, client.client_id);
        return fail(ErrorCode::invalid_grant, "the code was already used",
                    "replayed code of " + client.client_id + "; its tokens are revoked");
    }
    if (code->expires_at <= now) {
        return fail(ErrorCode::invalid_grant, "the code is invalid or has expired");
    }
    if (code->redirect_uri != *redirect_uri) {
        return fail(ErrorCode::invalid_grant,
                    "redirect_uri differs from the one the code was issued for");
    }
    if (!verifier_matches(*verifier, code->code_challenge)) {
        return fail(ErrorCode::invalid_grant, "code_verifier does not match the code_challenge");
    }
    // The sub this client sees (public or pairwise): in its tokens and its logout tokens.
    auto mapped = subjects_.subject_for(client, code->user_id);
    if (!mapped) {
        return std::unexpected(mapped.error());
    }
    const std::string subject = std::move(*mapped);
    if (!code->sid.empty()) {
        // Recorded before the code is spent: a record for a redemption that then loses a race
        // only sends the client a logout token it does not need.
        SessionClient entry{code->sid, client.client_id, subject, now};
        if (auto recorded = session_clients_.add(entry); !recorded) {
            return std::unexpected(database_error(recorded.error()));
        }
    }
    // Before the code is spent: an organization the user left since /authorize is refused.
    const auto scopes = split_scope(code->scope);
    auto extra = claims_.extra(code->user_id, scopes, ClaimTarget::access_token,
                               TokenClaims::OrgGone::refuse);
    if (!extra) {
        return std::unexpected(extra.error());
    }
    auto consumed = codes_.consume(*code_value, now);
    if (!consumed) {
        return std::unexpected(database_error(consumed.error()));
    }
    if (!*consumed) {
        // Another redemption won the UPDATE between our read and now.
        revoke_issued(*code_value, client.client_id);
        return fail(ErrorCode::invalid_grant, "the code was already used");
    }
    const UserAuthentication authn{code->auth_time, code->acr, code->amr};
    auto issued = issuer_.issue(client, subject, scopes, request.dpop_jkt, &authn, &*extra);
    if (!issued) {
        return std::unexpected(issued.error());
    }
    if (auto recorded = codes_.record_issued(*code_value, issued_record(*issued)); !recorded) {
        return std::unexpected(database_error(recorded.error()));
    }
    TokenResponse response;
    if (RefreshTokenIssuer::offers_refresh(client, scopes)) {
        auto refresh = refresh_issuer_.start(client, *code, subject, *issued, request.dpop_jkt);
        if (!refresh) {
            return std::unexpected(refresh.error());
        }
        response.refresh_token = std::move(*refresh);
    }
    if (std::ranges::find(scopes, "openid") != scopes.end()) {
        IdTokenClaims claims{subject,   code->auth_time, code->nonce,
                             code->sid, code->amr,       issued->value};
        claims.acr = code->acr;  // the level the code was issued at (issue 5)
        auto id_extra = claims_.for_id_token(code->user_id, scopes, code->id_token_claims);
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
    return response;
}

}  // namespace idpd::oidc
