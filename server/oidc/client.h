#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose/alg.h"

namespace idpd::oidc {

// RFC 6749 §2.1.
enum class ClientType { confidential, public_client };

// RFC 7591 §2 token_endpoint_auth_method values we implement.
enum class AuthMethod { client_secret_basic, client_secret_post, none };

// How a client's access tokens look: RFC 9068 JWTs (verifiable offline) or opaque handles
// (only /introspect can read them, and revocation is immediate).
enum class AccessTokenFormat { jwt, opaque };

// A registered OAuth client.
struct Client {
    std::string client_id;
    std::string name;
    ClientType type = ClientType::confidential;
    AuthMethod token_endpoint_auth_method = AuthMethod::client_secret_basic;
    // HMAC-SHA-256 of the secret under the server's secret key (client_secret.h); empty for a
    // public client. Never leaves the server.
    std::string secret_hash;
    std::vector<std::string> redirect_uris;
    std::vector<std::string> grant_types;  // "client_credentials", "authorization_code", ...
    std::vector<std::string> scopes;       // the scopes it may ask for
    AccessTokenFormat access_token_format = AccessTokenFormat::jwt;
    jose::Alg access_token_alg = jose::Alg::rs256;
    jose::Alg id_token_signed_response_alg = jose::Alg::rs256;  // OIDC Registration §2
    std::int64_t created_at = 0;                                // seconds since the epoch

    bool allows_grant(std::string_view grant_type) const;

    bool is_public() const { return type == ClientType::public_client; }
};

std::string_view client_type_name(ClientType type);  // "confidential", "public"
std::optional<ClientType> parse_client_type(std::string_view text);
std::string_view auth_method_name(AuthMethod method);
std::optional<AuthMethod> parse_auth_method(std::string_view text);
std::string_view access_token_format_name(AccessTokenFormat format);  // "jwt", "opaque"
std::optional<AccessTokenFormat> parse_access_token_format(std::string_view text);

}  // namespace idpd::oidc
