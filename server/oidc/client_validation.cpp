#include "oidc/client_validation.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "jose/jwks.h"
#include "oidc/redirect_uri.h"
#include "oidc/scope.h"
#include "oidc/subject_mapper.h"

namespace idpd::oidc {
namespace {

std::unexpected<Error> bad(std::string description) {
    return fail(ErrorCode::invalid_client_metadata, std::move(description));
}

bool is_unreserved(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

bool is_printable_text(const std::string& text) {
    return std::ranges::none_of(text, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

// A DNS name or IP literal, lower-case, as redirect_uri_host returns hosts.
bool is_host(const std::string& host) {
    if (host.empty() || host.size() > 253) {
        return false;
    }
    return std::ranges::all_of(host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '[' || c == ']' || c == ':';
    });
}

Result<void> check_identity(const Client& client) {
    if (client.client_id.empty() || client.client_id.size() > 255 ||
        !std::ranges::all_of(client.client_id, is_unreserved)) {
        return bad("client_id: 1 to 255 characters of A-Z a-z 0-9 - . _ ~");
    }
    if (client.name.size() > 255 || !is_printable_text(client.name)) {
        return bad("client_name: at most 255 bytes, no control characters");
    }
    return {};
}

Result<void> check_uris(const Client& client) {
    for (const auto& uri : client.redirect_uris) {
        if (auto valid = validate_redirect_uri(uri); !valid) {
            return fail(ErrorCode::invalid_redirect_uri,
                        "redirect_uris: " + valid.error().description);
        }
    }
    if (client.allows_grant("authorization_code") && client.redirect_uris.empty()) {
        return fail(ErrorCode::invalid_redirect_uri,
                    "redirect_uris: authorization_code needs at least one redirect URI");
    }
    for (const auto& uri : client.post_logout_redirect_uris) {
        if (auto valid = validate_redirect_uri(uri); !valid) {
            return bad("post_logout_redirect_uris: " + valid.error().description);
        }
    }
    if (!client.backchannel_logout_uri.empty()) {
        auto valid = validate_redirect_uri(client.backchannel_logout_uri);
        if (!valid || !redirect_uri_host(client.backchannel_logout_uri)) {
            return bad(
                "backchannel_logout_uri: must be an https URL (http only on loopback), "
                "without a fragment");
        }
    }
    return {};
}

Result<void> check_authentication(const Client& client) {
    const AuthMethod method = client.token_endpoint_auth_method;
    if (client.is_public() != (method == AuthMethod::none)) {
        return bad("token_endpoint_auth_method: none is for public clients, and only for them");
    }
    if (client.is_public() && client.allows_grant("client_credentials")) {
        return bad("grant_types: client_credentials needs a confidential client");
    }
    if ((method == AuthMethod::client_secret_basic || method == AuthMethod::client_secret_post) &&
        client.secret_hash.empty()) {
        return bad("client_secret: " + std::string(auth_method_name(method)) + " needs a secret");
    }
    if (method == AuthMethod::private_key_jwt) {
        auto keys = jose::KeySet::from_jwks(nlohmann::json::parse(client.jwks, nullptr, false));
        if (!keys || keys->empty()) {
            return bad(
                "jwks: private_key_jwt needs a JWKS with at least one RS256, PS256, ES256 or "
                "EdDSA public key");
        }
    } else if (!client.jwks.empty()) {
        return bad("jwks: only private_key_jwt clients register keys");
    }
    return {};
}

Result<void> check_limits(const Client& client, const ClientLimits& limits) {
    for (const auto& grant : client.grant_types) {
        if (std::ranges::find(known_grant_types(), grant) == known_grant_types().end()) {
            return bad("grant_types: " + grant + " is not supported");
        }
    }
    if (client.grant_types.empty()) {
        return bad("grant_types: name at least one");
    }
    for (const auto& scope : client.scopes) {
        if (!is_scope_token(scope)) {
            return bad("scope: " + scope + " is not a valid scope token");
        }
        if (!limits.scopes.empty() &&
            std::ranges::find(limits.scopes, scope) == limits.scopes.end()) {
            return bad("scope: " + scope + " is not supported by this server");
        }
    }
    auto signs = [&](jose::Alg alg) {
        return limits.signing_algs.empty() ||
               std::ranges::find(limits.signing_algs, alg) != limits.signing_algs.end();
    };
    if (!signs(client.id_token_signed_response_alg)) {
        return bad("id_token_signed_response_alg: this server does not sign with " +
                   std::string(jose::alg_name(client.id_token_signed_response_alg)));
    }
    if (!signs(client.access_token_alg)) {
        return bad("access_token_alg: this server does not sign with " +
                   std::string(jose::alg_name(client.access_token_alg)));
    }
    return {};
}

}  // namespace

const std::vector<std::string>& known_grant_types() {
    static const std::vector<std::string> grants{"authorization_code", "client_credentials",
                                                 "refresh_token"};
    return grants;
}

Result<void> validate_client(const Client& client, const ClientLimits& limits) {
    for (auto check : {check_identity, check_uris, check_authentication}) {
        if (auto ok = check(client); !ok) {
            return ok;
        }
    }
    if (auto ok = check_limits(client, limits); !ok) {
        return ok;
    }
    if (!client.sector_identifier.empty() && !is_host(client.sector_identifier)) {
        return bad("sector_identifier: a lower-case host name, like app.example.com");
    }
    if (client.subject_type == SubjectType::pairwise && !pairwise_sector(client)) {
        return bad(
            "subject_type: a pairwise client needs a sector_identifier when its redirect URIs "
            "do not share one host");
    }
    return {};
}

}  // namespace idpd::oidc
