// admin: the operator's JSON API, behind the admin.api_token bearer secret. Off (no routes)
// while the token is empty.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/client_validation.h"
#include "oidc/random.h"
#include "store/database.h"

namespace idpd::admin {

// /admin/api/v1/clients: the registered clients as JSON, with the same documents
// (oidc/client_document.h) and the same validation (oidc::validate_client) as dynamic
// registration, the CLI and client files:
//   GET    /admin/api/v1/clients                       {"clients": [document, ...]}
//   POST   /admin/api/v1/clients                       201 document (+ client_secret once)
//   GET    /admin/api/v1/clients/:client_id            document
//   PUT    /admin/api/v1/clients/:client_id            replace: omitted members return to
//                                                      their defaults; the secret is kept
//   DELETE /admin/api/v1/clients/:client_id            204
//   POST   /admin/api/v1/clients/:client_id/rotate-secret   {"client_id", "client_secret"}
// Every request needs `Authorization: Bearer <admin.api_token>` (constant-time compare), or
// gets 401 invalid_token. Errors are JSON {"error", "error_description"}: 400
// invalid_client_metadata / invalid_redirect_uri, 404 not_found, 409 conflict (client_id taken,
// or a client managed by a client file, which only its file may change).
class ClientApi {
public:
    ClientApi(std::string api_token, store::Database& db, const oidc::ClientSecretHasher& hasher,
              oidc::ClientLimits limits, oidc::Clock clock, oidc::RandomBytes random)
        : api_token_(std::move(api_token)),
          clients_(db),
          hasher_(hasher),
          limits_(std::move(limits)),
          clock_(std::move(clock)),
          random_(std::move(random)) {}

    // Adds the routes above; a no-op while the api token is empty.
    void add_routes(http::Router& router);

private:
    http::HttpResponse list(const http::HttpRequest& req);
    http::HttpResponse create(const http::HttpRequest& req);
    http::HttpResponse show(const http::HttpRequest& req);
    http::HttpResponse replace(const http::HttpRequest& req);
    http::HttpResponse remove(const http::HttpRequest& req);
    http::HttpResponse rotate_secret(const http::HttpRequest& req);
    // Runs `handler` when the request carries the api token; else 401.
    http::Handler guarded(http::HttpResponse (ClientApi::*handler)(const http::HttpRequest&));
    // A new secret for `client` when its method uses one (returned once); none otherwise.
    std::optional<std::string> settle_secret(oidc::Client& client);

    std::string api_token_;
    oidc::ClientStore clients_;
    const oidc::ClientSecretHasher& hasher_;
    oidc::ClientLimits limits_;
    oidc::Clock clock_;
    oidc::RandomBytes random_;
};

// The admin view of a client: its document plus managed_by and dynamically_registered.
nlohmann::json admin_document(const oidc::Client& client);

}  // namespace idpd::admin
