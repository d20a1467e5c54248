#include "oidc/discovery.h"

#include <algorithm>

#include "auth/acr.h"

namespace idpd::oidc {

std::string issuer_base(const std::string& issuer) {
    std::string base = issuer;
    while (base.ends_with('/')) {
        base.pop_back();
    }
    return base;
}

std::string issuer_path(const std::string& issuer) {
    const std::string base = issuer_base(issuer);
    const auto scheme_end = base.find("://");
    if (scheme_end == std::string::npos) {
        return "";
    }
    const auto slash = base.find('/', scheme_end + 3);
    return slash == std::string::npos ? "" : base.substr(slash);
}

std::vector<std::string> supported_scopes(const Options& options,
                                          const ServerCapabilities& capabilities) {
    if (!options.scopes_supported.empty()) {
        return options.scopes_supported;
    }
    std::vector<std::string> scopes{"openid", "profile", "email", "phone"};
    if (std::ranges::find(capabilities.grant_types, "refresh_token") !=
        capabilities.grant_types.end()) {
        scopes.push_back("offline_access");  // OIDC Core §11
    }
    for (const auto& scope : capabilities.extra_scopes) {
        if (std::ranges::find(scopes, scope) == scopes.end()) {
            scopes.push_back(scope);
        }
    }
    return scopes;
}

nlohmann::json metadata_document(const Options& options,
                                 const std::vector<std::pair<std::string, std::string>>& endpoints,
                                 const ServerCapabilities& capabilities) {
    nlohmann::json doc{{"issuer", options.issuer}};
    for (const auto& [name, url] : endpoints) {
        doc[name] = url;
    }
    doc["grant_types_supported"] = capabilities.grant_types;
    if (doc.contains("authorization_endpoint")) {
        // What authorize/ accepts: the code flow only, PKCE S256 only, query and form_post,
        // iss on every response (RFC 9207 §3), and the user's numeric id as a public subject.
        doc["response_types_supported"] = {"code"};
        doc["response_modes_supported"] = {"query", "form_post"};
        doc["code_challenge_methods_supported"] = {"S256"};
        doc["authorization_response_iss_parameter_supported"] = true;
        // OIDC Core §8: pairwise per client (SubjectMapper).
        doc["subject_types_supported"] = {"public", "pairwise"};
        doc["claims_supported"] = capabilities.claims;
        // authorize/check_acr.cpp: the two levels of auth/acr.h, asked for through acr_values
        // or an essential id_token.acr in the claims parameter (OIDC Core §5.5).
        doc["acr_values_supported"] = {std::string(auth::acr_password), std::string(auth::acr_mfa)};
        doc["claims_parameter_supported"] = true;
    }
    doc["token_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
    doc["introspection_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
    doc["revocation_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
    const auto& methods = capabilities.client_auth_methods;
    if (std::ranges::find(methods, "private_key_jwt") != methods.end()) {
        // ClientAssertionVerifier: what our jose verifies, never HMAC or none.
        const nlohmann::json assertion_algs = {"RS256", "PS256", "ES256", "EdDSA"};
        for (const char* endpoint : {"token", "introspection", "revocation"}) {
            doc[std::string(endpoint) + "_endpoint_auth_signing_alg_values_supported"] =
                assertion_algs;
        }
    }
    std::vector<std::string> algs;
    for (jose::Alg alg : capabilities.signing_algs) {
        algs.emplace_back(jose::alg_name(alg));
    }
    // OIDC Discovery §3 requires this member; the keys for every listed alg exist now, and
    // clients choose one with id_token_signed_response_alg.
    doc["id_token_signing_alg_values_supported"] = algs;
    if (!capabilities.dpop_algs.empty()) {
        // RFC 9449 §5.1; no nonces (§8): the iat window and the jti cache bound a replay.
        doc["dpop_signing_alg_values_supported"] = capabilities.dpop_algs;
    }
    if (!options.scopes_supported.empty() || doc.contains("authorization_endpoint")) {
        // By default the scopes we give a meaning to (OIDC Core §5.4); RFC 8414 §2 lets a
        // server leave out others, like a client's own API scopes.
        doc["scopes_supported"] = supported_scopes(options, capabilities);
    }
    if (capabilities.backchannel_logout) {
        // Back-Channel Logout 1.0 §2.1: every logout token carries sid as well as sub.
        doc["backchannel_logout_supported"] = true;
        doc["backchannel_logout_session_supported"] = true;
    }
    if (doc.contains("pushed_authorization_request_endpoint")) {
        // RFC 9126 §5: pushing is offered, not required.
        doc["require_pushed_authorization_requests"] = false;
    }
    return doc;
}

http::HttpResponse metadata_response(std::string document, std::chrono::seconds max_age) {
    auto response = http::HttpResponse::json(200, std::move(document));
    response.headers.set("Cache-Control", "public, max-age=" + std::to_string(max_age.count()));
    return response;
}

}  // namespace idpd::oidc
