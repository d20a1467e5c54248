#include "oidc/client_auth.h"

#include <cctype>

#include <openssl/evp.h>

namespace idpd::oidc {
namespace {

constexpr std::string_view auth_failed = "client authentication failed";

// Standard base64 (RFC 4648 §4) as Basic credentials use it (RFC 7617 §2). Nullopt when
// malformed.
std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool padding = c == '=' && i >= text.size() - 2;
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '/' && !padding) {
            return std::nullopt;
        }
        if (padding && i == text.size() - 2 && text.back() != '=') {
            return std::nullopt;
        }
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(text.data()),
                                        static_cast<int>(text.size()));
    if (written < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(written);
    if (text.ends_with("==")) {
        size -= 2;
    } else if (text.ends_with('=')) {
        size -= 1;
    }
    out.resize(size);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

Result<ClientCredentials> read_basic(std::string_view header, const FormParams& form) {
    const auto space = header.find(' ');
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "Basic")) {
        return fail(ErrorCode::invalid_request,
                    "the Authorization header must use the Basic scheme here");
    }
    std::string_view token = header.substr(space + 1);
    while (token.starts_with(' ')) {
        token.remove_prefix(1);
    }
    auto decoded = base64_decode(token);
    if (!decoded) {
        return fail(ErrorCode::invalid_request, "the Basic credentials are not valid base64");
    }
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) {
        return fail(ErrorCode::invalid_request, "the Basic credentials have no ':'");
    }
    ClientCredentials credentials;
    credentials.method = AuthMethod::client_secret_basic;
    // RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded before encoding.
    credentials.client_id = http::url_decode(decoded->substr(0, colon), true);
    credentials.client_secret = http::url_decode(decoded->substr(colon + 1), true);
    if (credentials.client_id.empty()) {
        return fail(ErrorCode::invalid_request, "the Basic credentials have an empty client_id");
    }
    if (form.has("client_secret")) {
        return fail(ErrorCode::invalid_request,
                    "the client authenticated with both client_secret_basic and "
                    "client_secret_post");
    }
    if (auto id = form.get("client_id"); id && *id != credentials.client_id) {
        return fail(ErrorCode::invalid_request,
                    "client_id in the body differs from the Authorization header");
    }
    return credentials;
}

// RFC 7523 §2.2 / RFC 7521 §4.2. Mixing an assertion with a secret is refused as
// invalid_client: the request would authenticate twice, and either might be the forged one.
Result<ClientCredentials> read_assertion(const http::HttpRequest& req, const FormParams& form) {
    if (req.headers.get("Authorization") || form.has("client_secret")) {
        return fail(ErrorCode::invalid_client,
                    "use one client authentication method: client_assertion or a secret");
    }
    auto type = form.get("client_assertion_type");
    if (!type || *type != jwt_bearer_assertion_type) {
        return fail(ErrorCode::invalid_client,
                    "client_assertion_type must be " + std::string(jwt_bearer_assertion_type));
    }
    auto assertion = form.get("client_assertion");
    if (!assertion) {
        return fail(ErrorCode::invalid_client, "client_assertion is missing");
    }
    auto client_id = assertion_client_id(*assertion);
    if (!client_id) {
        return fail(ErrorCode::invalid_client, "client_assertion is not a JWT with a sub");
    }
    if (auto id = form.get("client_id"); id && *id != *client_id) {
        return fail(ErrorCode::invalid_client, "client_id differs from the assertion's sub");
    }
    ClientCredentials credentials;
    credentials.method = AuthMethod::private_key_jwt;
    credentials.client_id = std::move(*client_id);
    credentials.client_assertion = std::move(*assertion);
    return credentials;
}

}  // namespace

Error database_error(const store::Error& error) {
    if (error.kind == store::Error::Kind::unavailable || error.kind == store::Error::Kind::retry) {
        return Error{ErrorCode::temporarily_unavailable, "try again later",
                     std::string(store::kind_name(error.kind)) + ": " + error.message};
    }
    return Error{ErrorCode::server_error, "database error",
                 std::string(store::kind_name(error.kind)) + ": " + error.message};
}

Result<ClientCredentials> read_client_credentials(const http::HttpRequest& req,
                                                  const FormParams& form) {
    if (form.has("client_assertion") || form.has("client_assertion_type")) {
        return read_assertion(req, form);
    }
    if (auto header = req.headers.get("Authorization")) {
        return read_basic(*header, form);
    }
    auto client_id = form.get("client_id");
    if (!client_id) {
        return fail(ErrorCode::invalid_client, "no client authentication was included");
    }
    ClientCredentials credentials;
    credentials.client_id = *client_id;
    credentials.client_secret = form.get("client_secret");
    credentials.method =
        credentials.client_secret ? AuthMethod::client_secret_post : AuthMethod::none;
    return credentials;
}

Result<Client> ClientAuthenticator::authenticate(const ClientCredentials& credentials) {
    auto client = clients_.find(credentials.client_id);
    if (!client) {
        if (client.error().kind != store::Error::Kind::not_found) {
            return std::unexpected(database_error(client.error()));
        }
        // Same work as for a known client, so timing does not tell them apart either.
        (void)hasher_.matches(credentials.client_secret.value_or(""), std::string(32, '\0'));
        return fail(ErrorCode::invalid_client, std::string(auth_failed),
                    "unknown client_id " + credentials.client_id);
    }
    if (client->token_endpoint_auth_method != credentials.method) {
        return fail(ErrorCode::invalid_client, std::string(auth_failed),
                    "client " + client->client_id + " is registered for " +
                        std::string(auth_method_name(client->token_endpoint_auth_method)) +
                        ", not " + std::string(auth_method_name(credentials.method)));
    }
    if (credentials.method == AuthMethod::none) {
        if (!client->is_public()) {
            return fail(ErrorCode::invalid_client, std::string(auth_failed),
                        "confidential client " + client->client_id + " sent no secret");
        }
        return std::move(*client);
    }
    if (credentials.method == AuthMethod::private_key_jwt) {
        auto verified = assertions_.verify(*client, credentials.client_assertion.value_or(""),
                                           credentials.endpoint_path);
        if (!verified) {
            return std::unexpected(verified.error());
        }
        return std::move(*client);
    }
    if (client->secret_hash.empty() ||
        !hasher_.matches(credentials.client_secret.value_or(""), client->secret_hash)) {
        return fail(ErrorCode::invalid_client, std::string(auth_failed),
                    "wrong secret for client " + client->client_id);
    }
    return std::move(*client);
}

Result<Client> ClientAuthenticator::authenticate(const http::HttpRequest& req,
                                                 const FormParams& form) {
    auto credentials = read_client_credentials(req, form);
    if (!credentials) {
        return std::unexpected(credentials.error());
    }
    credentials->endpoint_path = req.path;
    return authenticate(*credentials);
}

}  // namespace idpd::oidc
