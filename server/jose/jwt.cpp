#include "jose/jwt.h"

#include <algorithm>
#include <cctype>

#include "jose/jws.h"
#include "jose/strict_json.h"

namespace idpd::jose {

namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// RFC 7515 §4.1.9: "application/" is implied when typ has no '/', and media types compare
// without case (RFC 2045 §5.1).
std::string media_type(std::string_view typ) {
    std::string type = lowercase(typ);
    return type.find('/') == std::string::npos ? "application/" + type : type;
}

Result<void> check_typ(const nlohmann::json& header, TokenType expected) {
    const auto typ = header.find("typ");
    if (typ == header.end()) {
        if (expected == TokenType::jwt) {
            return {};
        }
        return fail(ErrorCode::invalid_claims,
                    "header lacks typ " + std::string(typ_value(expected)));
    }
    if (!typ->is_string()) {
        return fail(ErrorCode::malformed, "header typ is not a string");
    }
    if (media_type(typ->get<std::string>()) != media_type(typ_value(expected))) {
        return fail(ErrorCode::invalid_claims, "typ " + typ->get<std::string>() + " is not " +
                                                   std::string(typ_value(expected)));
    }
    return {};
}

Result<void> check_audience(const nlohmann::json& claims, const std::string& audience) {
    const auto aud = claims.find("aud");
    if (aud == claims.end()) {
        return fail(ErrorCode::invalid_claims, "token has no aud");
    }
    if (aud->is_string()) {
        if (*aud == audience) {
            return {};
        }
        return fail(ErrorCode::invalid_claims, "aud is not " + audience);
    }
    if (!aud->is_array()) {
        return fail(ErrorCode::malformed, "aud is neither a string nor an array");
    }
    bool found = false;
    for (const auto& entry : *aud) {
        if (!entry.is_string()) {
            return fail(ErrorCode::malformed, "aud array holds a non-string");
        }
        found = found || entry == audience;
    }
    if (!found) {
        return fail(ErrorCode::invalid_claims, "aud does not include " + audience);
    }
    return {};
}

// RFC 7519 §2 NumericDate: seconds since the epoch, possibly fractional.
Result<std::optional<double>> numeric_date(const nlohmann::json& claims, const char* name) {
    const auto it = claims.find(name);
    if (it == claims.end()) {
        return std::optional<double>();
    }
    if (!it->is_number()) {
        return fail(ErrorCode::malformed, std::string(name) + " is not a NumericDate");
    }
    return std::optional<double>(it->get<double>());
}

Result<void> check_times(const nlohmann::json& claims, const JwtRules& rules,
                         std::chrono::system_clock::time_point now) {
    const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
    const auto leeway = static_cast<double>(rules.leeway.count());
    auto exp = numeric_date(claims, "exp");
    auto nbf = numeric_date(claims, "nbf");
    auto iat = numeric_date(claims, "iat");
    if (!exp || !nbf || !iat) {
        return std::unexpected(!exp ? exp.error() : !nbf ? nbf.error() : iat.error());
    }
    if (!exp->has_value() && rules.require_exp) {
        return fail(ErrorCode::invalid_claims, "token has no exp");
    }
    // RFC 7519 §4.1.4: the current time MUST be before exp.
    if (exp->has_value() && now_s >= **exp + leeway) {
        return fail(ErrorCode::expired, "token expired");
    }
    // RFC 7519 §4.1.5: the current time MUST be at or after nbf.
    if (nbf->has_value() && now_s + leeway < **nbf) {
        return fail(ErrorCode::not_yet_valid, "token is not valid yet (nbf)");
    }
    // A token issued in the future comes from a skewed or forged issuer.
    if (iat->has_value() && **iat > now_s + leeway) {
        return fail(ErrorCode::not_yet_valid, "token issued in the future (iat)");
    }
    if (rules.max_age) {
        if (!iat->has_value()) {
            return fail(ErrorCode::invalid_claims, "token has no iat");
        }
        if (now_s - **iat > static_cast<double>(rules.max_age->count()) + leeway) {
            return fail(ErrorCode::expired, "token is older than allowed (iat)");
        }
    }
    return {};
}

Result<nlohmann::json> check_claims(const VerifiedJws& jws, const JwtRules& rules,
                                    std::chrono::system_clock::time_point now) {
    if (auto ok = check_typ(jws.header, rules.type); !ok) {
        return std::unexpected(ok.error());
    }
    // RFC 7519 §5.2: cty "JWT" marks a nested JWT, which we neither issue nor accept.
    if (jws.header.contains("cty")) {
        return fail(ErrorCode::unsupported, "nested JWTs (cty) are not accepted");
    }
    auto claims = parse_json_object(jws.payload);
    if (!claims) {
        return fail(ErrorCode::malformed, "JWT claims: " + claims.error().detail);
    }
    if (rules.issuer) {
        const auto iss = claims->find("iss");
        if (iss == claims->end() || !iss->is_string() || *iss != *rules.issuer) {
            return fail(ErrorCode::invalid_claims, "iss is not " + *rules.issuer);
        }
    }
    if (rules.audience) {
        if (auto ok = check_audience(*claims, *rules.audience); !ok) {
            return std::unexpected(ok.error());
        }
    }
    for (const auto& name : rules.required_claims) {
        if (!claims->contains(name)) {
            return fail(ErrorCode::invalid_claims, "token lacks the claim " + name);
        }
    }
    if (auto ok = check_times(*claims, rules, now); !ok) {
        return std::unexpected(ok.error());
    }
    return claims;
}

VerifyOptions verify_options(const JwtRules& rules) {
    VerifyOptions options;
    options.understood_crit = rules.understood_crit;
    options.expect_embedded_jwk = rules.expect_embedded_jwk;
    return options;
}

}  // namespace

std::string_view typ_value(TokenType type) {
    switch (type) {
        case TokenType::jwt:
            return "JWT";
        case TokenType::at_jwt:
            return "at+jwt";
        case TokenType::logout_jwt:
            return "logout+jwt";
        case TokenType::dpop_jwt:
            return "dpop+jwt";
    }
    return "";
}

Result<std::string> sign_jwt(const Key& key, TokenType type, const nlohmann::json& claims,
                             const nlohmann::json& extra_header) {
    if (!claims.is_object()) {
        return fail(ErrorCode::malformed, "JWT claims must be a JSON object");
    }
    if (!extra_header.is_object()) {
        return fail(ErrorCode::rejected_header, "a JWS header must be an object");
    }
    auto payload = serialize_json(claims);
    if (!payload) {
        return std::unexpected(payload.error());
    }
    nlohmann::json header = extra_header;
    header["typ"] = typ_value(type);
    return sign(key, *payload, header);
}

Result<VerifiedJwt> verify_jwt(std::string_view token, const Key& key, const JwtRules& rules,
                               std::chrono::system_clock::time_point now) {
    auto jws = verify(token, key, verify_options(rules));
    if (!jws) {
        return std::unexpected(jws.error());
    }
    auto claims = check_claims(*jws, rules, now);
    if (!claims) {
        return std::unexpected(claims.error());
    }
    return VerifiedJwt{std::move(jws->header), std::move(*claims)};
}

Result<VerifiedJwt> verify_jwt(std::string_view token, const KeySet& keys, const JwtRules& rules,
                               std::chrono::system_clock::time_point now) {
    auto header = peek_header(token);
    if (!header) {
        return std::unexpected(header.error());
    }
    const Key* key = nullptr;
    const auto kid = header->find("kid");
    if (kid != header->end()) {
        if (!kid->is_string()) {
            return fail(ErrorCode::malformed, "header kid is not a string");
        }
        key = keys.find(kid->get<std::string>());
        if (key == nullptr) {
            return fail(ErrorCode::unknown_key, "no key has kid " + kid->get<std::string>());
        }
    } else if (keys.size() == 1) {
        key = &keys.keys().front();
    } else {
        return fail(ErrorCode::unknown_key, "token names no kid and the set holds " +
                                                std::to_string(keys.size()) + " keys");
    }
    return verify_jwt(token, *key, rules, now);
}

}  // namespace idpd::jose
