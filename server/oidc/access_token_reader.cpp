#include "oidc/access_token_reader.h"

#include <algorithm>

#include "jose/jwt.h"
#include "oidc/client_auth.h"
#include "oidc/verified_token_cache.h"

namespace idpd::oidc {
namespace {

bool looks_like_jws(std::string_view token) {
    return std::ranges::count(token, '.') == 2;
}

}  // namespace

AccessTokenReader::AccessTokenReader(const Options& options, jose::KeyStore& keys,
                                     AccessTokenStore& tokens, Clock clock)
    : options_(options),
      keys_(keys),
      tokens_(tokens),
      clock_(std::move(clock)),
      verified_(std::make_unique<VerifiedTokenCache>()) {}

AccessTokenReader::~AccessTokenReader() = default;

Result<std::optional<ActiveAccessToken>> AccessTokenReader::read(std::string_view token) {
    const std::int64_t now = unix_seconds(clock_);
    if (looks_like_jws(token)) {
        return read_jwt(token, now);
    }
    auto stored = tokens_.find(token);
    if (!stored) {
        if (stored.error().kind == store::Error::Kind::not_found) {
            return std::nullopt;
        }
        return std::unexpected(database_error(stored.error()));
    }
    if (stored->revoked || stored->expires_at <= now) {
        return std::nullopt;
    }
    return ActiveAccessToken{AccessTokenFormat::opaque, stored->client_id,
                             stored->subject,           stored->scope,
                             stored->audience,          "",
                             stored->issued_at,         stored->expires_at,
                             stored->jkt.value_or(""),  stored->authn};
}

Result<std::optional<ActiveAccessToken>> AccessTokenReader::read_jwt(std::string_view token,
                                                                     std::int64_t now) {
    auto keys = keys_.verification_keys();
    if (!keys) {
        return fail(ErrorCode::server_error, "cannot read the signing keys", keys.error().detail);
    }
    std::optional<ActiveAccessToken> active = verified_->find(token, now, *keys);
    if (!active) {
        active = verify_jwt(token, now, *keys);
        if (!active) {
            return std::nullopt;
        }
    }
    auto revoked = tokens_.is_jti_revoked(active->jti);
    if (!revoked) {
        return std::unexpected(database_error(revoked.error()));
    }
    if (*revoked) {
        return std::nullopt;
    }
    return active;
}

std::optional<ActiveAccessToken> AccessTokenReader::verify_jwt(std::string_view token,
                                                               std::int64_t now,
                                                               const jose::KeySet& keys) {
    jose::JwtRules rules;
    rules.type = jose::TokenType::at_jwt;
    rules.issuer = options_.issuer;
    rules.required_claims = {"jti", "client_id", "sub", "iat"};
    // We are the issuer and the judge of exp here: no skew to allow for.
    rules.leeway = std::chrono::seconds(0);
    auto verified = jose::verify_jwt(
        token, keys, rules, std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    if (!verified) {
        return std::nullopt;
    }
    const auto& claims = verified->claims;
    if (!claims["jti"].is_string() || !claims["client_id"].is_string() ||
        !claims["sub"].is_string() || !claims["iat"].is_number_integer() ||
        !claims["exp"].is_number_integer()) {
        return std::nullopt;
    }
    ActiveAccessToken active;
    active.format = AccessTokenFormat::jwt;
    active.jti = claims["jti"].get<std::string>();
    active.client_id = claims["client_id"].get<std::string>();
    active.subject = claims["sub"].get<std::string>();
    active.scope = claims.value("scope", "");
    active.audience = claims.value("aud", nlohmann::json());
    active.issued_at = claims["iat"].get<std::int64_t>();
    active.expires_at = claims["exp"].get<std::int64_t>();
    if (claims.contains("cnf") && claims["cnf"].is_object() && claims["cnf"].contains("jkt") &&
        claims["cnf"]["jkt"].is_string()) {
        active.jkt = claims["cnf"]["jkt"].get<std::string>();
    }
    // Our own signed claims (access_token_issuer.cpp), so their types are ours.
    if (claims.contains("auth_time") && claims["auth_time"].is_number_integer()) {
        active.authn.auth_time = claims["auth_time"].get<std::int64_t>();
    }
    if (claims.contains("acr") && claims["acr"].is_string()) {
        active.authn.acr = claims["acr"].get<std::string>();
    }
    if (claims.contains("amr") && claims["amr"].is_array()) {
        for (const auto& method : claims["amr"]) {
            if (method.is_string()) {
                active.authn.amr +=
                    (active.authn.amr.empty() ? "" : " ") + method.get<std::string>();
            }
        }
    }
    verified_->put(token, active, verified->header.value("kid", ""));
    return active;
}

}  // namespace idpd::oidc
