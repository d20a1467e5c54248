#include "oidc/registration_endpoint.h"

#include "jose/base64url.h"
#include "oidc/access_token_store.h"
#include "oidc/bearer.h"
#include "oidc/client_auth.h"
#include "oidc/client_document.h"
#include "oidc/discovery.h"

namespace idpd::oidc {
namespace {

http::HttpResponse no_store_json(int status, const nlohmann::json& body) {
    auto response = http::HttpResponse::json(status, body.dump());
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

Result<nlohmann::json> json_body(const http::HttpRequest& req) {
    std::string type = req.headers.get("Content-Type").value_or("");
    type = type.substr(0, type.find(';'));
    if (type != "application/json") {
        return fail(ErrorCode::invalid_client_metadata,
                    "the body must be application/json client metadata");
    }
    auto doc = nlohmann::json::parse(req.body, nullptr, false);
    if (!doc.is_object()) {
        return fail(ErrorCode::invalid_client_metadata, "the body must be a JSON object");
    }
    return doc;
}

bool is_secret_method(AuthMethod method) {
    return method == AuthMethod::client_secret_basic || method == AuthMethod::client_secret_post;
}

}  // namespace

Client RegistrationEndpoint::defaults() const {
    // RFC 7591 §2: grant_types defaults to authorization_code, token_endpoint_auth_method to
    // client_secret_basic; OIDC Registration §2: id_token_signed_response_alg to RS256.
    Client client;
    client.grant_types = {"authorization_code"};
    client.scopes = limits_.scopes;
    return client;
}

std::optional<std::string> RegistrationEndpoint::settle_secret(Client& client) {
    if (!is_secret_method(client.token_endpoint_auth_method)) {
        client.secret_hash.clear();
        return std::nullopt;
    }
    if (!client.secret_hash.empty()) {
        return std::nullopt;
    }
    std::string secret = new_client_secret(random_(32));
    client.secret_hash = hasher_.hash(secret);
    return secret;
}

nlohmann::json RegistrationEndpoint::response_document(const Client& client) const {
    nlohmann::json doc = client_document(client);
    // The operator's own members stay out of what an RP reads.
    doc.erase("first_party");
    doc["registration_client_uri"] = issuer_base(options_.issuer) + "/register/" + client.client_id;
    return doc;
}

http::HttpResponse RegistrationEndpoint::register_client(const http::HttpRequest& req) {
    auto presented = bearer_token(req);
    if (!presented || options_.registration_initial_access_token.empty() ||
        !secrets_equal(*presented, options_.registration_initial_access_token)) {
        return error_response(req, Error{ErrorCode::invalid_token,
                                         "registration needs a valid initial access token", ""});
    }
    auto doc = json_body(req);
    if (!doc) {
        return error_response(req, doc.error());
    }
    Client client = defaults();
    if (auto read = read_client_document(*doc, DocumentAuthor::relying_party, client); !read) {
        return error_response(req, read.error());
    }
    client.client_id = jose::base64url_encode(random_(16));
    if (client.name.empty()) {
        client.name = client.client_id;
    }
    client.created_at = unix_seconds(clock_);
    const std::optional<std::string> secret = settle_secret(client);
    const std::string registration_token = jose::base64url_encode(random_(32));
    client.registration_token_hash = jose::base64url_encode(sha256(registration_token));
    if (auto valid = validate_client(client, limits_); !valid) {
        return error_response(req, valid.error());
    }
    if (auto created = clients_.create(client); !created) {
        return error_response(req, database_error(created.error()));
    }
    nlohmann::json body = response_document(client);
    if (secret) {
        body["client_secret"] = *secret;
        body["client_secret_expires_at"] = 0;  // RFC 7591 §3.2.1: 0 means it does not expire
    }
    body["registration_access_token"] = registration_token;
    return no_store_json(201, body);
}

Result<Client> RegistrationEndpoint::managed_client(const http::HttpRequest& req) {
    const auto id = req.path_params.find("client_id");
    auto presented = bearer_token(req);
    auto client = clients_.find(id == req.path_params.end() ? "" : id->second);
    if (!client && client.error().kind != store::Error::Kind::not_found) {
        return std::unexpected(database_error(client.error()));
    }
    // RFC 7592 §3: a wrong token and an unknown client look the same (401 invalid_token).
    const std::string stored = client ? client->registration_token_hash : std::string();
    const std::string hashed = presented ? jose::base64url_encode(sha256(*presented)) : "";
    if (!client || stored.empty() || !presented || !secrets_equal(hashed, stored)) {
        return fail(ErrorCode::invalid_token, "the registration access token is invalid");
    }
    return std::move(*client);
}

http::HttpResponse RegistrationEndpoint::read(const http::HttpRequest& req) {
    auto client = managed_client(req);
    if (!client) {
        return error_response(req, client.error());
    }
    return no_store_json(200, response_document(*client));
}

http::HttpResponse RegistrationEndpoint::replace(const http::HttpRequest& req) {
    auto stored = managed_client(req);
    if (!stored) {
        return error_response(req, stored.error());
    }
    auto doc = json_body(req);
    if (!doc) {
        return error_response(req, doc.error());
    }
    // RFC 7592 §2.2: the body names the client, and a client_secret in it must be the current one.
    if (doc->value("client_id", nlohmann::json()) != stored->client_id) {
        return error_response(req, Error{ErrorCode::invalid_client_metadata,
                                         "client_id: must be the registered client_id", ""});
    }
    if (auto it = doc->find("client_secret"); it != doc->end()) {
        if (!it->is_string() || stored->secret_hash.empty() ||
            !hasher_.matches(it->get<std::string>(), stored->secret_hash)) {
            return error_response(req, Error{ErrorCode::invalid_client_metadata,
                                             "client_secret: is not the current secret", ""});
        }
    }
    Client client = defaults();
    client.client_id = stored->client_id;
    client.name = stored->client_id;
    client.created_at = stored->created_at;
    client.secret_hash = stored->secret_hash;
    client.registration_token_hash = stored->registration_token_hash;
    client.first_party = stored->first_party;
    client.sector_identifier = stored->sector_identifier;
    if (auto read = read_client_document(*doc, DocumentAuthor::relying_party, client); !read) {
        return error_response(req, read.error());
    }
    const std::optional<std::string> secret = settle_secret(client);
    if (auto valid = validate_client(client, limits_); !valid) {
        return error_response(req, valid.error());
    }
    if (auto updated = clients_.update(client, unix_seconds(clock_)); !updated) {
        return error_response(req, database_error(updated.error()));
    }
    nlohmann::json body = response_document(client);
    if (secret) {
        body["client_secret"] = *secret;
        body["client_secret_expires_at"] = 0;
    }
    return no_store_json(200, body);
}

http::HttpResponse RegistrationEndpoint::remove(const http::HttpRequest& req) {
    auto client = managed_client(req);
    if (!client) {
        return error_response(req, client.error());
    }
    if (auto removed = clients_.remove(client->client_id); !removed) {
        return error_response(req, database_error(removed.error()));
    }
    http::HttpResponse response;
    response.status = 204;
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace idpd::oidc
