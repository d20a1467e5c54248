#include "oidc/client.h"

#include <algorithm>

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
        case AuthMethod::none:
            return "none";
    }
    return "none";
}

std::optional<AuthMethod> parse_auth_method(std::string_view text) {
    for (AuthMethod method :
         {AuthMethod::client_secret_basic, AuthMethod::client_secret_post, AuthMethod::none}) {
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

}  // namespace idpd::oidc
