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
enum class AuthMethod { client_secret_basic, client_secret_post, private_key_jwt, none };

// OIDC Core §8: one subject for every client, or one per sector (pairwise).
enum class SubjectType { public_subject, pairwise };

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

    // Optional registration metadata, kept together in the `metadata` JSON column (schema 0008).
    // RP-Initiated Logout 1.0 §3.1: where /logout may send the browser afterwards.
    std::vector<std::string> post_logout_redirect_uris;
    // Back-Channel Logout 1.0 §2.2: where a logout token is POSTed when a session ends.
    std::string backchannel_logout_uri;
    bool backchannel_logout_session_required = false;
    // private_key_jwt (RFC 7523 §2.2, OIDC Core §9): the client's public keys as a JWKS
    // document (JSON text); empty unless the client authenticates that way.
    std::string jwks;
    SubjectType subject_type = SubjectType::public_subject;
    // Pairwise subjects (OIDC Core §8.1): the sector's host; empty means the host of the
    // redirect URIs (which must then all share one host).
    std::string sector_identifier;
    // The operator's own applications (the console): no consent page.
    bool first_party = false;
    // RFC 9449 §5.2: access tokens must be DPoP-bound (a Bearer token request is refused).
    bool dpop_bound_access_tokens = false;
    // RFC 7592: SHA-256 of the registration access token of a dynamically registered client;
    // empty for clients registered by the operator.
    std::string registration_token_hash;
    // The client file this client comes from ("config/clients.d/console.toml"); empty for
    // clients registered otherwise. Such a client is changed by editing its file: the CLI and
    // the admin API refuse to change or remove it, since the next start would undo that.
    std::string managed_by;

    bool allows_grant(std::string_view grant_type) const;

    bool is_public() const { return type == ClientType::public_client; }
};

std::string_view client_type_name(ClientType type);  // "confidential", "public"
std::optional<ClientType> parse_client_type(std::string_view text);
std::string_view auth_method_name(AuthMethod method);
std::optional<AuthMethod> parse_auth_method(std::string_view text);
std::string_view access_token_format_name(AccessTokenFormat format);  // "jwt", "opaque"
std::optional<AccessTokenFormat> parse_access_token_format(std::string_view text);
std::string_view subject_type_name(SubjectType type);  // "public", "pairwise"
std::optional<SubjectType> parse_subject_type(std::string_view text);

// The optional metadata above as the JSON object stored in clients.metadata, and back. Unknown
// members are ignored when reading, so a newer idpd's rows stay readable.
std::string client_metadata_json(const Client& client);
void read_client_metadata(const std::string& json, Client& client);

}  // namespace idpd::oidc
