#include "oidc/discovery.h"

#include <algorithm>

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
        doc["subject_types_supported"] = {"public"};
        doc["claims_supported"] = capabilities.claims;
    }
    doc["token_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
    doc["introspection_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
    doc["revocation_endpoint_auth_methods_supported"] = capabilities.client_auth_methods;
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
    if (!options.scopes_supported.empty()) {
        doc["scopes_supported"] = options.scopes_supported;
    } else if (doc.contains("authorization_endpoint")) {
        // The scopes we give a meaning to (OIDC Core §5.4, §11); RFC 8414 §2 lets a server
        // leave out others, like a client's own API scopes.
        doc["scopes_supported"] = {"openid", "profile", "email"};
        if (std::ranges::find(capabilities.grant_types, "refresh_token") !=
            capabilities.grant_types.end()) {
            doc["scopes_supported"].push_back("offline_access");
        }
    }
    return doc;
}

http::HttpResponse metadata_response(std::string document, std::chrono::seconds max_age) {
    auto response = http::HttpResponse::json(200, std::move(document));
    response.headers.set("Cache-Control", "public, max-age=" + std::to_string(max_age.count()));
    return response;
}

}  // namespace idpd::oidc
