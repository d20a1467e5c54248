#include "oidc/client.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace idpd::oidc {

bool Client::allows_grant(std::string_view grant_type) const {
    return std::ranges::find(grant_types, grant_type) != grant_types.end();
}

std::string_view client_type_name(ClientType type) {
    return type == ClientType::public_client ? "public" : "confidential";
}

std::optional<ClientType> parse_client_type(std::string_view text) {
    if (text == "confidential") {
        return ClientType::confidential;
    }
    if (text == "public") {
        return ClientType::public_client;
    }
    return std::nullopt;
}

std::string_view auth_method_name(AuthMethod method) {
    switch (method) {
        case AuthMethod::client_secret_basic:
            return "client_secret_basic";
        case AuthMethod::client_secret_post:
            return "client_secret_post";
        case AuthMethod::private_key_jwt:
            return "private_key_jwt";
        case AuthMethod::none:
            return "none";
    }
    return "none";
}

std::optional<AuthMethod> parse_auth_method(std::string_view text) {
    for (AuthMethod method : {AuthMethod::client_secret_basic, AuthMethod::client_secret_post,
                              AuthMethod::private_key_jwt, AuthMethod::none}) {
        if (auth_method_name(method) == text) {
            return method;
        }
    }
    return std::nullopt;
}

std::string_view access_token_format_name(AccessTokenFormat format) {
    return format == AccessTokenFormat::opaque ? "opaque" : "jwt";
}

std::optional<AccessTokenFormat> parse_access_token_format(std::string_view text) {
    if (text == "jwt") {
        return AccessTokenFormat::jwt;
    }
    if (text == "opaque") {
        return AccessTokenFormat::opaque;
    }
    return std::nullopt;
}

std::string_view subject_type_name(SubjectType type) {
    return type == SubjectType::pairwise ? "pairwise" : "public";
}

std::optional<SubjectType> parse_subject_type(std::string_view text) {
    if (text == "public") {
        return SubjectType::public_subject;
    }
    if (text == "pairwise") {
        return SubjectType::pairwise;
    }
    return std::nullopt;
}

std::string client_metadata_json(const Client& client) {
    nlohmann::json out = nlohmann::json::object();
    if (!client.post_logout_redirect_uris.empty()) {
        out["post_logout_redirect_uris"] = client.post_logout_redirect_uris;
    }
    if (!client.backchannel_logout_uri.empty()) {
        out["backchannel_logout_uri"] = client.backchannel_logout_uri;
        out["backchannel_logout_session_required"] = client.backchannel_logout_session_required;
    }
    if (!client.jwks.empty()) {
        out["jwks"] = client.jwks;
    }
    if (client.subject_type == SubjectType::pairwise) {
        out["subject_type"] = "pairwise";
    }
    if (!client.sector_identifier.empty()) {
        out["sector_identifier"] = client.sector_identifier;
    }
    if (client.first_party) {
        out["first_party"] = true;
    }
    if (client.dpop_bound_access_tokens) {
        out["dpop_bound_access_tokens"] = true;
    }
    if (!client.registration_token_hash.empty()) {
        out["registration_token_hash"] = client.registration_token_hash;
    }
    if (!client.managed_by.empty()) {
        out["managed_by"] = client.managed_by;
    }
    return out.dump();
}

void read_client_metadata(const std::string& json, Client& client) {
    const auto in = nlohmann::json::parse(json, nullptr, false);
    if (!in.is_object()) {
        return;
    }
    auto text = [&](const char* key) -> std::string {
        auto it = in.find(key);
        return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto flag = [&](const char* key) {
        auto it = in.find(key);
        return it != in.end() && it->is_boolean() && it->get<bool>();
    };
    if (auto it = in.find("post_logout_redirect_uris"); it != in.end() && it->is_array()) {
        for (const auto& uri : *it) {
            if (uri.is_string()) {
                client.post_logout_redirect_uris.push_back(uri.get<std::string>());
            }
        }
    }
    client.backchannel_logout_uri = text("backchannel_logout_uri");
    client.backchannel_logout_session_required = flag("backchannel_logout_session_required");
    client.jwks = text("jwks");
    client.subject_type =
        parse_subject_type(text("subject_type")).value_or(SubjectType::public_subject);
    client.sector_identifier = text("sector_identifier");
    client.first_party = flag("first_party");
    client.dpop_bound_access_tokens = flag("dpop_bound_access_tokens");
    client.registration_token_hash = text("registration_token_hash");
    client.managed_by = text("managed_by");
}

}  // namespace idpd::oidc
