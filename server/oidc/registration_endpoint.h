#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/request.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/client_validation.h"
#include "oidc/errors.h"
#include "oidc/options.h"
#include "oidc/random.h"

namespace idpd::oidc {

// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), served only
// when options.registration_enabled:
// - POST /register with `Authorization: Bearer <registration.initial_access_token>` (compared
//   in constant time) and a JSON body of client metadata (client_document.h, checked by
//   validate_client) → 201 with the metadata, client_id, client_id_issued_at, for a
//   secret-based client client_secret (shown once; stored as the same keyed hash the CLI
//   uses) with client_secret_expires_at 0, registration_access_token (stored as SHA-256) and
//   registration_client_uri;
// - GET / PUT / DELETE /register/:client_id with `Bearer <registration_access_token>`: read,
//   replace (RFC 7592 §2.2: the body names client_id; omitted members return to defaults),
//   delete (204). Clients registered by the operator have no such token and cannot be reached.
// Errors: 400 invalid_redirect_uri / invalid_client_metadata, 401 invalid_token (a wrong or
// missing token, or an unknown client: the same answer), all JSON with no-store.
class RegistrationEndpoint {
public:
    RegistrationEndpoint(const Options& options, ClientStore& clients,
                         const ClientSecretHasher& hasher, ClientLimits limits, Clock clock,
                         RandomBytes random)
        : options_(options),
          clients_(clients),
          hasher_(hasher),
          limits_(std::move(limits)),
          clock_(std::move(clock)),
          random_(std::move(random)) {}

    http::HttpResponse register_client(const http::HttpRequest& req);
    http::HttpResponse read(const http::HttpRequest& req);
    http::HttpResponse replace(const http::HttpRequest& req);
    http::HttpResponse remove(const http::HttpRequest& req);

private:
    // The client named by the path whose registration access token the request carries.
    // Errors: invalid_token, database errors.
    Result<Client> managed_client(const http::HttpRequest& req);
    // The defaults of a dynamically registered client, before its metadata is read.
    Client defaults() const;
    // Gives `client` a fresh secret when its method needs one it lacks (returned, once), and
    // drops the hash when it needs none.
    std::optional<std::string> settle_secret(Client& client);
    nlohmann::json response_document(const Client& client) const;

    const Options& options_;
    ClientStore& clients_;
    const ClientSecretHasher& hasher_;
    ClientLimits limits_;
    Clock clock_;
    RandomBytes random_;
};

}  // namespace idpd::oidc
