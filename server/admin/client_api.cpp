#include "admin/client_api.h"

#include "jose/base64url.h"
#include "oidc/bearer.h"
#include "oidc/client_document.h"

namespace idpd::admin {
namespace {

constexpr std::string_view base = "/admin/api/v1/clients";

http::HttpResponse json_response(int status, const nlohmann::json& body) {
    auto response = http::HttpResponse::json(status, body.dump());
    response.headers.set("Cache-Control", "no-store");
    return response;
}

http::HttpResponse api_error(int status, std::string_view error, std::string_view description) {
    auto response = json_response(status, {{"error", error}, {"error_description", description}});
    if (status == 401) {
        response.headers.set("WWW-Authenticate", "Bearer realm=\"idpd-admin\"");
    }
    return response;
}

http::HttpResponse from_oidc(const oidc::Error& error) {
    return api_error(oidc::http_status(error.code), oidc::wire_name(error.code), error.description);
}

http::HttpResponse from_store(const store::Error& error) {
    switch (error.kind) {
        case store::Error::Kind::not_found:
            return api_error(404, "not_found", "no such client");
        case store::Error::Kind::conflict:
            return api_error(409, "conflict", "that client_id is taken");
        case store::Error::Kind::unavailable:
        case store::Error::Kind::retry:
            return api_error(503, "temporarily_unavailable", "the database is unavailable");
        default:
            return api_error(500, "server_error", "database error");
    }
}

http::HttpResponse file_managed(const oidc::Client& client) {
    return api_error(409, "conflict",
                     "client " + client.client_id + " is managed by " + client.managed_by +
                         "; change that file instead");
}

std::optional<nlohmann::json> json_body(const http::HttpRequest& req) {
    auto doc = nlohmann::json::parse(req.body, nullptr, false);
    if (!doc.is_object()) {
        return std::nullopt;
    }
    return doc;
}

// The defaults of a client the operator registers (RFC 7591 §2's, like dynamic registration).
oidc::Client defaults() {
    oidc::Client client;
    client.grant_types = {"authorization_code"};
    return client;
}

std::string path_id(const http::HttpRequest& req) {
    auto it = req.path_params.find("client_id");
    return it == req.path_params.end() ? std::string() : it->second;
}

}  // namespace

nlohmann::json admin_document(const oidc::Client& client) {
    nlohmann::json doc = oidc::client_document(client);
    doc["managed_by"] = client.managed_by;
    doc["dynamically_registered"] = !client.registration_token_hash.empty();
    return doc;
}

void ClientApi::add_routes(http::Router& router) {
    if (api_token_.empty()) {
        return;
    }
    using http::Method;
    const std::string one = std::string(base) + "/:client_id";
    router.add(Method::get, base, guarded(&ClientApi::list));
    router.add(Method::post, base, guarded(&ClientApi::create));
    router.add(Method::get, one, guarded(&ClientApi::show));
    router.add(Method::put, one, guarded(&ClientApi::replace));
    router.add(Method::del, one, guarded(&ClientApi::remove));
    router.add(Method::post, one + "/rotate-secret", guarded(&ClientApi::rotate_secret));
}

http::Handler ClientApi::guarded(
    http::HttpResponse (ClientApi::*handler)(const http::HttpRequest&)) {
    return [this, handler](const http::HttpRequest& req) {
        auto presented = oidc::bearer_token(req);
        if (!presented || !oidc::secrets_equal(*presented, api_token_)) {
            return api_error(401, "invalid_token", "send Authorization: Bearer <admin.api_token>");
        }
        return (this->*handler)(req);
    };
}

std::optional<std::string> ClientApi::settle_secret(oidc::Client& client) {
    const auto method = client.token_endpoint_auth_method;
    if (method != oidc::AuthMethod::client_secret_basic &&
        method != oidc::AuthMethod::client_secret_post) {
        client.secret_hash.clear();
        return std::nullopt;
    }
    if (!client.secret_hash.empty()) {
        return std::nullopt;
    }
    std::string secret = oidc::new_client_secret(random_(32));
    client.secret_hash = hasher_.hash(secret);
    return secret;
}

http::HttpResponse ClientApi::list(const http::HttpRequest&) {
    auto all = clients_.list();
    if (!all) {
        return from_store(all.error());
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& client : *all) {
        items.push_back(admin_document(client));
    }
    return json_response(200, {{"clients", items}});
}

http::HttpResponse ClientApi::create(const http::HttpRequest& req) {
    auto doc = json_body(req);
    if (!doc) {
        return api_error(400, "invalid_client_metadata", "the body must be a JSON object");
    }
    oidc::Client client = defaults();
    auto read = oidc::read_client_document(*doc, oidc::DocumentAuthor::operator_, client);
    if (!read) {
        return from_oidc(read.error());
    }
    if (client.client_id.empty()) {
        client.client_id = jose::base64url_encode(random_(16));
    }
    if (client.name.empty()) {
        client.name = client.client_id;
    }
    client.created_at = oidc::unix_seconds(clock_);
    const auto secret = settle_secret(client);
    if (auto valid = oidc::validate_client(client, limits_); !valid) {
        return from_oidc(valid.error());
    }
    if (auto created = clients_.create(client); !created) {
        return from_store(created.error());
    }
    nlohmann::json body = admin_document(client);
    if (secret) {
        body["client_secret"] = *secret;  // shown once: only its keyed hash is stored
    }
    return json_response(201, body);
}

http::HttpResponse ClientApi::show(const http::HttpRequest& req) {
    auto client = clients_.find(path_id(req));
    if (!client) {
        return from_store(client.error());
    }
    return json_response(200, admin_document(*client));
}

http::HttpResponse ClientApi::replace(const http::HttpRequest& req) {
    auto stored = clients_.find(path_id(req));
    if (!stored) {
        return from_store(stored.error());
    }
    if (!stored->managed_by.empty()) {
        return file_managed(*stored);
    }
    auto doc = json_body(req);
    if (!doc) {
        return api_error(400, "invalid_client_metadata", "the body must be a JSON object");
    }
    oidc::Client client = defaults();
    auto read = oidc::read_client_document(*doc, oidc::DocumentAuthor::operator_, client);
    if (!read) {
        return from_oidc(read.error());
    }
    if (!client.client_id.empty() && client.client_id != stored->client_id) {
        return api_error(400, "invalid_client_metadata", "client_id: cannot be changed");
    }
    client.client_id = stored->client_id;
    if (client.name.empty()) {
        client.name = stored->client_id;
    }
    client.created_at = stored->created_at;
    client.secret_hash = stored->secret_hash;
    client.registration_token_hash = stored->registration_token_hash;
    const auto secret = settle_secret(client);
    if (auto valid = oidc::validate_client(client, limits_); !valid) {
        return from_oidc(valid.error());
    }
    if (auto updated = clients_.update(client, oidc::unix_seconds(clock_)); !updated) {
        return from_store(updated.error());
    }
    nlohmann::json body = admin_document(client);
    if (secret) {
        body["client_secret"] = *secret;
    }
    return json_response(200, body);
}

http::HttpResponse ClientApi::remove(const http::HttpRequest& req) {
    auto stored = clients_.find(path_id(req));
    if (!stored) {
        return from_store(stored.error());
    }
    if (!stored->managed_by.empty()) {
        return file_managed(*stored);
    }
    if (auto removed = clients_.remove(stored->client_id); !removed) {
        return from_store(removed.error());
    }
    http::HttpResponse response;
    response.status = 204;
    response.headers.set("Cache-Control", "no-store");
    return response;
}

http::HttpResponse ClientApi::rotate_secret(const http::HttpRequest& req) {
    auto stored = clients_.find(path_id(req));
    if (!stored) {
        return from_store(stored.error());
    }
    if (!stored->managed_by.empty()) {
        return file_managed(*stored);
    }
    oidc::Client client = *stored;
    client.secret_hash.clear();
    const auto secret = settle_secret(client);
    if (!secret) {
        return api_error(400, "invalid_request",
                         "client " + client.client_id + " does not authenticate with a secret");
    }
    auto set =
        clients_.set_secret_hash(client.client_id, client.secret_hash, oidc::unix_seconds(clock_));
    if (!set) {
        return from_store(set.error());
    }
    return json_response(200, {{"client_id", client.client_id}, {"client_secret", *secret}});
}

}  // namespace idpd::admin
