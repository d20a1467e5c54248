#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "app/config.h"
#include "oidc/client.h"
#include "oidc/client_secret.h"
#include "oidc/client_validation.h"
#include "store/database.h"

namespace idpd::app {

// Clients kept as files (GitOps): every *.toml in clients.dir is one client. The keys are the
// client document's members (oidc/client_document.h, the admin API's JSON names: client_id,
// client_name, redirect_uris, grant_types, scope, token_endpoint_auth_method, jwks, …) plus:
// - type = "public" | "confidential" (public alone implies token_endpoint_auth_method none);
// - secret_env = "NAME": the secret is in that environment variable, or secret_hash = the
//   base64url keyed hash `idpd client hash-secret` prints (so the file holds no secret);
// - jwks_file = "path": the JWKS of a private_key_jwt client, relative to the file.
// client_id defaults to the file's name without .toml. See config/clients.d/README.md.

// One client read from a file.
struct ClientFile {
    std::filesystem::path path;
    oidc::Client client;  // managed_by = path; created_at unset
};

// Reads and validates every *.toml of `dir`, in name order; a missing directory holds none.
// Error: one line naming the file and the key ("config/clients.d/app.toml: redirect_uris:
// redirect_uri must not contain a fragment").
std::expected<std::vector<ClientFile>, std::string> read_client_files(
    const std::filesystem::path& dir, const oidc::ClientSecretHasher& hasher,
    const oidc::ClientLimits& limits, EnvLookup env = process_env);

struct ApplyReport {
    std::size_t created = 0;
    std::size_t updated = 0;
};

// Reads the files, then creates each client or updates it (keeping created_at). A client_id
// that exists but comes from elsewhere (the CLI, the admin API, registration) or from another
// file is an error: a file never takes over a client silently. Error: one line, as above.
std::expected<ApplyReport, std::string> apply_client_files(
    store::Database& db, const std::filesystem::path& dir, const oidc::ClientSecretHasher& hasher,
    const oidc::ClientLimits& limits, std::int64_t now, EnvLookup env = process_env);

// The limits validate_client applies to clients the operator registers (CLI, files, admin
// API): the configured signing algs, any scope.
oidc::ClientLimits operator_client_limits(const Config& config);

}  // namespace idpd::app
