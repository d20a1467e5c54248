#include "oidc/dpop.h"

#include <algorithm>
#include <cctype>

#include "jose/base64url.h"
#include "jose/jws.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "oidc/client_auth.h"

namespace idpd::oidc {
namespace {

// Clocks of a client and ours disagree a little; RFC 9449 §11.1 leaves the window to us.
constexpr std::chrono::seconds iat_leeway{5};
constexpr std::size_t max_jti_size = 256;

std::unexpected<Error> bad_proof(std::string description, std::string detail = {}) {
    return fail(ErrorCode::invalid_dpop_proof, std::move(description), std::move(detail));
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return lower(a) == lower(b);
}

// The one DPoP header field, or why there is not exactly one.
Result<std::optional<std::string>> dpop_header(const http::HttpRequest& req) {
    std::optional<std::string> value;
    for (const auto& [name, field] : req.headers.fields()) {
        if (!iequals(name, "DPoP")) {
            continue;
        }
        // A proxy may fold two fields into one with a comma; a compact JWS has none.
        if (value || field.find(',') != std::string::npos) {
            return bad_proof("send exactly one DPoP header");
        }
        value = field;
    }
    return value;
}

// RFC 9449 §4.3 checks 5, 8, 9 and §7 (ath) on a verified proof's claims.
Result<void> check_claims(const nlohmann::json& claims, http::Method method, std::string_view htu,
                          std::optional<std::string_view> access_token) {
    if (!claims["jti"].is_string() || !claims["htm"].is_string() || !claims["htu"].is_string()) {
        return bad_proof("the DPoP proof's jti, htm and htu must be strings");
    }
    const auto jti = claims["jti"].get<std::string>();
    if (jti.empty() || jti.size() > max_jti_size) {
        return bad_proof("the DPoP proof's jti must be 1 to 256 characters");
    }
    if (claims["htm"].get<std::string>() != http::method_name(method)) {
        return bad_proof("the DPoP proof's htm does not match the request method");
    }
    if (normalize_htu(claims["htu"].get<std::string>()) != normalize_htu(htu)) {
        return bad_proof("the DPoP proof's htu does not match the request URL");
    }
    if (access_token) {
        const std::string expected = jose::base64url_encode(sha256(*access_token));
        if (!claims.contains("ath") || claims["ath"] != expected) {
            return bad_proof("the DPoP proof's ath does not match the access token");
        }
    }
    return {};
}

}  // namespace

store::Result<bool> DpopReplayCache::remember(std::string_view jkt, std::string_view jti,
                                              std::int64_t expires_at) {
    const std::string key = std::string(jkt) + "\n" + std::string(jti);
    auto inserted = db_.execute("INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (?, ?)",
                                {store::Blob{sha256(key)}, expires_at});
    if (!inserted) {
        if (inserted.error().kind == store::Error::Kind::conflict) {
            return false;
        }
        return std::unexpected(inserted.error());
    }
    return true;
}

store::Result<std::uint64_t> DpopReplayCache::delete_expired(std::int64_t now) {
    auto deleted = db_.execute("DELETE FROM dpop_proofs WHERE expires_at <= ?", {now});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

std::string normalize_htu(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(url);
    }
    const std::string scheme = lower(url.substr(0, scheme_end));
    const auto rest = url.substr(scheme_end + 3);
    const auto slash = rest.find('/');
    std::string authority = lower(rest.substr(0, slash));
    const std::string path =
        slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
    if (!default_port.empty() && authority.ends_with(default_port)) {
        authority.resize(authority.size() - default_port.size());
    }
    return scheme + "://" + authority + path;
}

std::vector<std::string> DpopVerifier::algs() {
    return {"RS256", "PS256", "ES256", "EdDSA"};
}

Result<std::optional<DpopProof>> DpopVerifier::verify(
    const http::HttpRequest& req, std::string_view htu,
    std::optional<std::string_view> access_token) {
    auto header = dpop_header(req);
    if (!header) {
        return std::unexpected(header.error());
    }
    if (!*header) {
        return std::nullopt;
    }
    const std::string& proof = **header;
    auto jose_header = jose::peek_header(proof, 8 * 1024);
    if (!jose_header) {
        return bad_proof("the DPoP proof is not a JWT", jose_header.error().detail);
    }
    auto key = jose::embedded_jwk(*jose_header);
    if (!key) {
        return bad_proof(
            "the DPoP proof needs an RS256, PS256, ES256 or EdDSA public jwk",
            std::string(jose::code_name(key.error().code)) + ": " + key.error().detail);
    }
    jose::JwtRules rules;
    rules.type = jose::TokenType::dpop_jwt;
    rules.required_claims = {"jti", "htm", "htu", "iat"};
    rules.require_exp = false;
    rules.leeway = iat_leeway;
    rules.max_age = max_age_;
    rules.expect_embedded_jwk = true;
    const std::int64_t now = unix_seconds(clock_);
    auto verified = jose::verify_jwt(
        proof, *key, rules, std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    if (!verified) {
        return bad_proof(
            "the DPoP proof is invalid: " + std::string(jose::code_name(verified.error().code)),
            verified.error().detail);
    }
    const auto& claims = verified->claims;
    if (auto checked = check_claims(claims, req.method, htu, access_token); !checked) {
        return std::unexpected(checked.error());
    }
    const auto jti = claims["jti"].get<std::string>();
    const std::int64_t iat = static_cast<std::int64_t>(claims["iat"].get<double>());
    const std::int64_t keep_until = iat + max_age_.count() + iat_leeway.count() + 1;
    auto fresh = replay_.remember(key->thumbprint(), jti, keep_until);
    if (!fresh) {
        return std::unexpected(database_error(fresh.error()));
    }
    if (!*fresh) {
        return bad_proof("the DPoP proof was already used (jti)");
    }
    return DpopProof{key->thumbprint()};
}

}  // namespace idpd::oidc
