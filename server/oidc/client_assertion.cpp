#include "oidc/client_assertion.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/client_auth.h"
#include "oidc/discovery.h"

namespace idpd::oidc {
namespace {

constexpr std::string_view auth_failed = "client authentication failed";
constexpr std::size_t max_assertion_size = 16 * 1024;

std::unexpected<Error> refuse(const Client& client, const std::string& why) {
    return fail(ErrorCode::invalid_client, std::string(auth_failed),
                "client assertion of " + client.client_id + ": " + why);
}

bool audience_matches(const nlohmann::json& aud, const std::vector<std::string>& accepted) {
    auto fits = [&](const nlohmann::json& value) {
        return value.is_string() &&
               std::ranges::find(accepted, value.get<std::string>()) != accepted.end();
    };
    if (aud.is_array()) {
        return std::ranges::any_of(aud, fits);
    }
    return fits(aud);
}

}  // namespace

std::optional<std::string> assertion_client_id(std::string_view assertion) {
    if (assertion.size() > max_assertion_size) {
        return std::nullopt;
    }
    const auto first = assertion.find('.');
    const auto second = assertion.find('.', first == std::string_view::npos ? 0 : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) {
        return std::nullopt;
    }
    auto payload = jose::base64url_decode(assertion.substr(first + 1, second - first - 1));
    if (!payload) {
        return std::nullopt;
    }
    const auto claims = nlohmann::json::parse(*payload, nullptr, false);
    if (!claims.is_object() || !claims.contains("sub") || !claims["sub"].is_string()) {
        return std::nullopt;
    }
    return claims["sub"].get<std::string>();
}

std::vector<std::string> ClientAssertionVerifier::audiences(std::string_view endpoint_path) const {
    const std::string base = issuer_base(options_.issuer);
    const std::string origin = base.substr(0, base.size() - issuer_path(options_.issuer).size());
    std::vector<std::string> accepted{options_.issuer, base + "/token"};
    if (!endpoint_path.empty()) {
        accepted.push_back(origin + std::string(endpoint_path));
    }
    return accepted;
}

Result<void> ClientAssertionVerifier::verify(const Client& client, std::string_view assertion,
                                             std::string_view endpoint_path) {
    const auto jwks_json = nlohmann::json::parse(client.jwks, nullptr, false);
    auto keys = jose::KeySet::from_jwks(jwks_json);
    if (!keys || keys->empty()) {
        return refuse(client, "no usable key in the registered jwks");
    }
    jose::JwtRules rules;
    rules.type = jose::TokenType::jwt;
    rules.issuer = client.client_id;
    rules.required_claims = {"sub", "aud", "jti"};
    rules.leeway = leeway;
    const std::int64_t now = unix_seconds(clock_);
    auto verified = jose::verify_jwt(
        assertion, *keys, rules, std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    if (!verified) {
        return refuse(client, std::string(jose::code_name(verified.error().code)) + ": " +
                                  verified.error().detail);
    }
    const auto& claims = verified->claims;
    if (claims["sub"] != client.client_id) {
        return refuse(client, "sub is not the client_id");
    }
    if (!audience_matches(claims["aud"], audiences(endpoint_path))) {
        return refuse(client, "aud names neither the issuer nor this endpoint");
    }
    if (!claims["exp"].is_number()) {
        return refuse(client, "exp is missing");
    }
    const auto exp = static_cast<std::int64_t>(claims["exp"].get<double>());
    if (exp > now + max_lifetime.count() + leeway.count()) {
        return refuse(client, "exp is more than 5 minutes ahead");
    }
    if (!claims["jti"].is_string() || claims["jti"].get<std::string>().empty()) {
        return refuse(client, "jti must be a non-empty string");
    }
    // Kept past exp by the leeway, since verify_jwt accepts it that much longer.
    auto fresh =
        jtis_.use(client.client_id, claims["jti"].get<std::string>(), exp + leeway.count());
    if (!fresh) {
        return std::unexpected(database_error(fresh.error()));
    }
    if (!*fresh) {
        return fail(ErrorCode::invalid_client, "the client assertion was already used",
                    "replayed jti of " + client.client_id);
    }
    return {};
}

}  // namespace idpd::oidc
